package org.parley.identity;

import java.security.SecureRandom;

/** Referral codes: 8 characters of an alphabet without look-alikes (no 0/O, 1/I/L), about 10^12 of them. */
final class ReferralCodes {

    private static final char[] ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private ReferralCodes() {
    }

    static String next() {
        char[] code = new char[8];
        for (int i = 0; i < code.length; i++) {
            code[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return new String(code);
    }
}
