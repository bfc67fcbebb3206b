package org.parley.identity;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TotpTest {

    /** RFC 6238, Appendix B: the SHA-1 test vectors (key "12345678901234567890", 8 digits). */
    @Test
    void codesMatchTheRfc6238TestVectors() {
        byte[] key = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);
        long[][] vectors = {{59L, 94287082L}, {1111111109L, 7081804L}, {1111111111L, 14050471L},
                {1234567890L, 89005924L}, {2000000000L, 69279037L}, {20000000000L, 65353130L}};
        for (long[] v : vectors) {
            assertEquals(String.format("%08d", v[1]), Totp.code(key, Totp.step(Instant.ofEpochSecond(v[0])), 8), "at " + v[0]);
        }
    }

    @Test
    void aNewSecretIsBase32Of160BitsAndItsUriNamesIt() {
        String secret = Totp.newSecret();
        assertEquals(20, Totp.decode(secret).length);
        assertTrue(secret.matches("[A-Z2-7]{32}"), secret);
        String uri = Totp.uri("Parley", "admin@parley.local", secret);
        assertTrue(uri.startsWith("otpauth://totp/Parley:admin%40parley.local?secret=" + secret + "&issuer=Parley"), uri);
        assertEquals(6, Totp.code(Totp.decode(secret), 1, Totp.DIGITS).length());
    }
}
