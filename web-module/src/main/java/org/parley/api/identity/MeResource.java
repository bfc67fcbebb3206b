package org.parley.api.identity;

import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.parley.api.identity.IdentityRequests.PasswordChangeRequest;
import org.parley.api.identity.IdentityRequests.ProfileRequest;
import org.parley.api.identity.IdentityRequests.TotpConfirmRequest;
import org.parley.api.security.ClientAddress;
import org.parley.api.security.CurrentCaller;
import org.parley.common.Page;
import org.parley.common.PageRequest;
import org.parley.identity.AccountService;
import org.parley.identity.Logins;
import org.parley.identity.TwoFactor;
import org.parley.identity.ProfileView;

/** The caller's own profile and account: password, logins, deactivation. */
@Path("/me")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class MeResource {

    @Inject
    private AccountService accounts;
    @Inject
    private Logins logins;
    @Inject
    private TwoFactor twoFactor;
    @Inject
    private org.parley.notify.Notifications notifications;
    @Inject
    private CurrentCaller caller;
    @Inject
    private ClientAddress clientAddress;
    @Context
    private HttpServletRequest http;

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

    @GET
    @Path("/notification-preferences")
    public org.parley.notify.Notifications.Preferences notificationPreferences() {
        return notifications.preferences(caller.get());
    }

    /** {@code {email, sms, whatsapp, marketing}}, all four; in-app is always on. */
    @PUT
    @Path("/notification-preferences")
    public org.parley.notify.Notifications.Preferences setNotificationPreferences(IdentityRequests.PreferencesRequest r) {
        return notifications.setPreferences(caller.get(), new org.parley.notify.Notifications.Preferences(r.email(), r.sms(), r.whatsapp(), r.marketing()));
    }

    /** Links the calling user to a referrer after registering without a code (before the first paid deposit). */
    @POST
    @Path("/referral")
    public Response referral(IdentityRequests.ReferralRequest r) {
        accounts.applyReferral(caller.get(), r.referralCode());
        return Response.noContent().build();
    }

    /** Changes the password (the current one is needed); every other login of the account is signed out. */
    @POST
    @Path("/password")
    public Response changePassword(PasswordChangeRequest r) {
        accounts.changePassword(caller.get(), r.currentPassword(), r.newPassword(), clientAddress.of(http));
        return Response.noContent().build();
    }

    /** The account's active logins, newest first; {@code current} is the one making this request. */
    @GET
    @Path("/logins")
    public Page<Logins.LoginView> logins(@QueryParam("page") Integer page, @QueryParam("size") Integer size) {
        return logins.list(caller.get(), PageRequest.of(page, size));
    }

    /** Signs one login out (another device); someone else's is 404. */
    @DELETE
    @Path("/logins/{id}")
    public Response revokeLogin(@PathParam("id") UUID id) {
        logins.revoke(caller.get(), id);
        return Response.noContent().build();
    }

    /** Starts two-factor enrolment: a new TOTP secret and its otpauth URI (409 if two-factor is on already). */
    @POST
    @Path("/totp")
    public TwoFactor.Enrolment enrolTotp() {
        return twoFactor.enrol(caller.get());
    }

    /** Confirms enrolment with a first code; two-factor is on from now. The ten recovery codes are shown this once. */
    @POST
    @Path("/totp/confirm")
    public Map<String, List<String>> confirmTotp(TotpConfirmRequest r) {
        return Map.of("recoveryCodes", twoFactor.confirm(caller.get(), r.code()));
    }

    @POST
    @Path("/deactivate")
    public Response deactivate() {
        accounts.deactivate(caller.get());
        return Response.noContent().build();
    }
}
