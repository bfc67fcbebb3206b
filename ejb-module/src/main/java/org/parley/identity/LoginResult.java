package org.parley.identity;

/**
 * What a login attempt came to. A failure is a normal outcome, not an exception, so the transaction that
 * counted it (throttle, audit) commits.
 */
public sealed interface LoginResult {

    /** Signed in: the login's tokens and the account they speak for. */
    record Success(Logins.Issued tokens, AccountView account) implements LoginResult {
    }

    /** The password was right and the account has two-factor on: the second step needs this token and a code. */
    record MfaRequired(String mfaToken) implements LoginResult {
    }

    /** Unknown email or wrong password: the caller is told nothing more. */
    record BadCredentials() implements LoginResult {
    }

    /** Right credentials, but the account may not sign in (deactivated or suspended). */
    record NotAllowed(AccountStatus status) implements LoginResult {
    }
}
