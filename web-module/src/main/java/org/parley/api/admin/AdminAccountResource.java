package org.parley.api.admin;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.parley.api.identity.IdentityRequests.AccountPatch;
import org.parley.api.security.CurrentCaller;
import org.parley.common.Page;
import org.parley.common.PageRequest;
import org.parley.identity.AccountService;
import org.parley.identity.AccountStatus;
import org.parley.identity.AccountView;
import org.parley.identity.Role;

import java.util.UUID;

/** Admins find accounts, change roles (promote to ADMIN) and suspend or reinstate. */
@Path("/admin/accounts")
@RolesAllowed("ADMIN")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class AdminAccountResource {

    @Inject
    private AccountService accounts;
    @Inject
    private CurrentCaller caller;

    @GET
    public Page<AccountView> list(@QueryParam("q") String q, @QueryParam("role") Role role,
                                  @QueryParam("status") AccountStatus status,
                                  @QueryParam("page") Integer page, @QueryParam("size") Integer size) {
        return accounts.search(q, role, status, PageRequest.of(page, size));
    }

    @GET
    @Path("/{id}")
    public AccountView get(@PathParam("id") UUID id) {
        return accounts.find(id);
    }

    @PATCH
    @Path("/{id}")
    public AccountView update(@PathParam("id") UUID id, AccountPatch patch) {
        return accounts.adminUpdate(id, patch.role(), patch.status(), caller.get());
    }
}
