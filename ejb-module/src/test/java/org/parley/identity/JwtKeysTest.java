package org.parley.identity;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JwtKeysTest {

    @Test
    void aDevelopmentPairIsGeneratedOnceAndReadBackAfterARestart(@TempDir Path dir) throws Exception {
        KeyPair first = JwtKeys.developmentPair(dir);
        KeyPair again = JwtKeys.developmentPair(dir);
        assertArrayEquals(first.getPrivate().getEncoded(), again.getPrivate().getEncoded());
        assertArrayEquals(first.getPublic().getEncoded(), again.getPublic().getEncoded());
        assertTrue(Files.readString(dir.resolve("public.pem")).startsWith("-----BEGIN PUBLIC KEY-----"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("private.pem"))),
                "the private key is readable by its owner only");
    }
}
