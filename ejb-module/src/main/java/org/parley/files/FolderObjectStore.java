package org.parley.files;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

/** Objects as files under one folder (the embedded default: {@code <data dir>/files}); written to a temporary name, then moved. */
public class FolderObjectStore implements ObjectStore {

    private final Path root;

    public FolderObjectStore(Path root) {
        this.root = root;
    }

    private Path at(String key) {
        Path p = root.resolve(key).normalize();
        if (!p.startsWith(root)) {
            throw new IllegalArgumentException("key outside the store: " + key);
        }
        return p;
    }

    @Override
    public void put(String key, Path source, long size, String contentType) throws IOException {
        Path target = at(key);
        Files.createDirectories(target.getParent());
        Path partial = target.resolveSibling(target.getFileName() + ".partial");
        try {
            Files.copy(source, partial, StandardCopyOption.REPLACE_EXISTING);
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    @Override
    public InputStream open(String key) throws IOException {
        return Files.newInputStream(at(key));
    }

    @Override
    public boolean exists(String key) {
        return Files.isRegularFile(at(key));
    }

    @Override
    public void delete(String key) throws IOException {
        Files.deleteIfExists(at(key));
    }

    @Override
    public URI presignedGet(String key, Duration ttl, String fileName, String contentType) {
        return null;
    }

    @Override
    public String describe() {
        return "folder " + root;
    }
}
