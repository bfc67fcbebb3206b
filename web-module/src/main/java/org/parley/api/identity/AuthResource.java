package org.parley.api.identity;

import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.Map;
import org.parley.api.identity.IdentityRequests.InvitationAcceptRequest;
import org.parley.api.identity.IdentityRequests.LoginRequest;
import org.parley.api.identity.IdentityRequests.LoginResponse;
import org.parley.api.identity.IdentityRequests.PasswordResetConfirmRequest;
import org.parley.api.identity.IdentityRequests.PasswordResetRequest;
import org.parley.api.identity.IdentityRequests.RefreshRequest;
import org.parley.api.identity.IdentityRequests.TotpLoginRequest;
import org.parley.api.identity.IdentityRequests.RegisterRequest;
import org.parley.api.security.ClientAddress;
import org.parley.api.security.CurrentCaller;
import org.parley.common.Problems;
import org.parley.identity.AccountService;
import org.parley.identity.AccountView;
import org.parley.identity.Invitations;
import org.parley.identity.Logins;
import org.parley.identity.PasswordResets;
import org.parley.identity.LoginResult;

/** Register, sign in, sign out, who am I. */
@Path("/auth")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class AuthResource {

    @Inject
    private AccountService accounts;
    @Inject
    private Invitations invitations;
    @Inject
    private Logins logins;
    @Inject
    private PasswordResets resets;
    @Inject
    private CurrentCaller caller;
    @Inject
    private ClientAddress clientAddress;
    @Context
    private HttpServletRequest http;

    @POST
    @Path("/register")
    @PermitAll
    public Response register(RegisterRequest r) {
        AccountView account = accounts.register(new AccountService.Registration(r.email(), r.password(), r.name(), r.role(), r.phone(), r.referralCode()));
        return Response.status(Response.Status.CREATED).entity(account).build();
    }

    /** An invited account (an imported expert applicant) chooses its password with the emailed code; then it signs in. */
    @POST
    @Path("/invitations/accept")
    @PermitAll
    public AccountView acceptInvitation(InvitationAcceptRequest r) {
        return invitations.accept(r.token(), r.password());
    }

    @POST
    @Path("/login")
    @PermitAll
    public Object login(LoginRequest r) {
        LoginResult result = accounts.login(r.email(), r.password(), clientAddress.of(http), http.getHeader("User-Agent"));
        if (result instanceof LoginResult.MfaRequired m) {
            return Map.of("mfaRequired", true, "mfaToken", m.mfaToken());
        }
        return answer(result);
    }

    /** The second step of a two-step sign-in: the first step's {@code mfaToken} and a TOTP or recovery code. */
    @POST
    @Path("/login/totp")
    @PermitAll
    public LoginResponse loginTotp(TotpLoginRequest r) {
        return answer(accounts.completeTwoStep(r.mfaToken(), r.code(), clientAddress.of(http)));
    }

    private static LoginResponse answer(LoginResult result) {
        if (result instanceof LoginResult.Success s) {
            return signedIn(s);
        }
        if (result instanceof LoginResult.NotAllowed n) {
            throw Problems.forbidden("this account is " + n.status().name().toLowerCase(java.util.Locale.ROOT) + " and cannot sign in");
        }
        throw Problems.unauthenticated("wrong email or password");
    }

    private static LoginResponse signedIn(LoginResult.Success s) {
        return new LoginResponse(s.tokens().accessToken(), "Bearer", s.tokens().expiresInSeconds(), s.account(), s.tokens().refreshToken());
    }

    /** A refresh token for new tokens, once; a used one revokes its whole login. Refused: 401, the same for every reason. */
    @POST
    @Path("/refresh")
    @PermitAll
    public LoginResponse refresh(RefreshRequest r) {
        if (accounts.refresh(r.refreshToken()) instanceof LoginResult.Success s) {
            return signedIn(s);
        }
        throw Problems.unauthenticated("the refresh token is not valid");
    }

    /** "Forgot password": 202 whatever the email, and a one-time link by email if it names an active account. */
    @POST
    @Path("/password-reset")
    @PermitAll
    public Response requestPasswordReset(PasswordResetRequest r) {
        resets.request(r.email());
        return Response.accepted().build();
    }

    /** A new password with the emailed link's token, once; every login of the account is signed out. */
    @POST
    @Path("/password-reset/confirm")
    @PermitAll
    public Response confirmPasswordReset(PasswordResetConfirmRequest r) {
        resets.confirm(r.token(), r.newPassword());
        return Response.noContent().build();
    }

    /** Signs this login out: its access and refresh tokens are refused from now on. */
    @POST
    @Path("/logout")
    public Response logout() {
        accounts.logout(caller.get());
        return Response.noContent().build();
    }

    /** Signs every login of the account out, this one included. */
    @POST
    @Path("/logout-all")
    public Response logoutAll() {
        logins.revokeAll(caller.get().id());
        return Response.noContent().build();
    }

    @GET
    @Path("/me")
    public AccountView me() {
        return accounts.me(caller.get());
    }
}
