package org.parley.identity;

import at.favre.lib.crypto.bcrypt.BCrypt;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PasswordHasherTest {

    private final PasswordHasher hasher = new PasswordHasher(6);

    @Test
    void aHashOfALowerCostNeedsRehashingAndOneOfTheConfiguredCostDoesNot() {
        assertTrue(hasher.needsRehash(BCrypt.withDefaults().hashToString(4, "secret password".toCharArray())));
        assertFalse(hasher.needsRehash(hasher.hash("secret password")));
        assertFalse(hasher.needsRehash(BCrypt.withDefaults().hashToString(7, "secret password".toCharArray())));
        assertTrue(hasher.matches("secret password", hasher.hash("secret password")));
    }
}
