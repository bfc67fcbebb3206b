package org.parley.api.identity;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.parley.api.identity.IdentityRequests.ProfileRequest;
import org.parley.api.security.CurrentCaller;
import org.parley.identity.AccountService;
import org.parley.identity.ProfileView;

/** The caller's own profile and account. */
@Path("/me")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class MeResource {

    @Inject
    private AccountService accounts;
    @Inject
    private CurrentCaller caller;

    @GET
    @Path("/profile")
    public ProfileView profile() {
        return accounts.profile(caller.get());
    }

    @PUT
    @Path("/profile")
    public ProfileView updateProfile(ProfileRequest r) {
        return accounts.updateProfile(caller.get(), r.name(), r.phone(), r.language(), r.age(), r.bio());
    }

    @POST
    @Path("/deactivate")
    public Response deactivate() {
        accounts.deactivate(caller.get());
        return Response.noContent().build();
    }
}
