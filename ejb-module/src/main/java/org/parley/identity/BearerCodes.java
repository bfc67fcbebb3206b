package org.parley.identity;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * The one-time codes Parley hands out by email or in an answer (invitations, password resets, refresh tokens, the
 * second step of a sign-in): 32 random bytes, URL-safe Base64. Whoever holds one is believed, so only its SHA-256 is
 * stored.
 */
final class BearerCodes {

    static final SecureRandom RANDOM = new SecureRandom();

    private BearerCodes() {
    }

    static String next() {
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }
}
