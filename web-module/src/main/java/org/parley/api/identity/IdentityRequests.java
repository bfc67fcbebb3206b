package org.parley.api.identity;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.parley.identity.AccountStatus;
import org.parley.identity.AccountView;
import org.parley.identity.Role;

/** Request and response bodies of the identity endpoints. */
public final class IdentityRequests {

    static final String PHONE = org.parley.identity.Account.PHONE_PATTERN;

    private IdentityRequests() {
    }

    public record PreferencesRequest(@NotNull Boolean email, @NotNull Boolean sms, @NotNull Boolean whatsapp, @NotNull Boolean marketing) {
    }

    public record ReferralRequest(@NotBlank @Size(max = 16) String referralCode) {
    }

    public record RegisterRequest(
            @NotBlank @Email @Size(max = 254) String email,
            @NotNull @Size(min = 8, max = 72, message = "must be 8 to 72 characters") String password,
            @NotBlank @Size(max = 100) String name,
            @NotNull Role role,
            @Pattern(regexp = PHONE, message = "must be a phone number") String phone,
            @Size(max = 16) String referralCode) {
    }

    /** Accepting an invitation: its code from the email and the password the account will have. */
    public record InvitationAcceptRequest(@NotBlank @Size(max = 200) String token,
                                          @NotNull @Size(min = 8, max = 72, message = "must be 8 to 72 characters") String password) {
    }

    public record LoginRequest(@NotBlank @Size(max = 254) String email, @NotNull @Size(max = 200) String password) {
    }

    public record LoginResponse(String accessToken, String tokenType, long expiresIn, AccountView account, String refreshToken) {
    }

    public record PasswordResetRequest(@NotBlank @Size(max = 254) String email) {
    }

    public record PasswordResetConfirmRequest(@NotBlank @Size(max = 200) String token,
                                              @NotNull @Size(min = 8, max = 72, message = "must be 8 to 72 characters") String newPassword) {
    }

    public record TotpLoginRequest(@NotBlank @Size(max = 200) String mfaToken, @NotBlank @Size(max = 20) String code) {
    }

    public record TotpConfirmRequest(@NotBlank @Size(max = 20) String code) {
    }

    public record RefreshRequest(@NotBlank @Size(max = 200) String refreshToken) {
    }

    public record PasswordChangeRequest(@NotNull @Size(max = 200) String currentPassword,
                                        @NotNull @Size(min = 8, max = 72, message = "must be 8 to 72 characters") String newPassword) {
    }

    public record ProfileRequest(
            @NotBlank @Size(max = 100) String name,
            @Pattern(regexp = PHONE, message = "must be a phone number") String phone,
            @Size(max = 35) String language,
            @Min(13) @Max(120) Integer age,
            @Size(max = 2000) String bio) {
    }

    public record AccountPatch(Role role, AccountStatus status) {
    }
}
