package org.parley.files;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The folder store (the embedded default; the system tests run against S3): what it does where it differs. */
class FolderObjectStoreTest {

    @TempDir
    Path dir;

    @Test
    void anObjectIsStoredWholeReadBackAndDeletedLeavingNoPartialFile() throws Exception {
        FolderObjectStore store = new FolderObjectStore(dir.resolve("files"));
        Path source = Files.writeString(dir.resolve("in.pdf"), "%PDF-1.4 bytes");
        store.put("files/a", source, Files.size(source), "application/pdf");
        assertTrue(store.exists("files/a"));
        try (InputStream in = store.open("files/a")) {
            assertArrayEquals("%PDF-1.4 bytes".getBytes(StandardCharsets.UTF_8), in.readAllBytes());
        }
        try (var left = Files.list(dir.resolve("files/files"))) {
            assertTrue(left.noneMatch(p -> p.getFileName().toString().endsWith(".partial")), "no partial file left");
        }
        store.delete("files/a");
        assertFalse(store.exists("files/a"));
        assertThrows(NoSuchFileException.class, () -> store.open("files/a"));
    }

    @Test
    void itHasNoUrlsOfItsOwnAndRefusesKeysOutsideItsFolder() {
        FolderObjectStore store = new FolderObjectStore(dir.resolve("files"));
        assertNull(store.presignedGet("files/a", Duration.ofMinutes(5), "a.pdf", "application/pdf"), "Parley signs the folder's links");
        assertThrows(IllegalArgumentException.class, () -> store.exists("../../etc/passwd"));
    }
}
