package org.parley.files;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Where file bytes live: an S3-compatible bucket ({@link S3ObjectStore}) or, with nothing configured, a folder of the
 * data directory ({@link FolderObjectStore}). Objects are written whole from a local file and never changed.
 */
public interface ObjectStore {

    /** Stores {@code source} (already checked) as {@code key}; on failure nothing is left under the key. */
    void put(String key, Path source, long size, String contentType) throws IOException;

    /** The object's bytes; {@link java.nio.file.NoSuchFileException} if it is missing. */
    InputStream open(String key) throws IOException;

    boolean exists(String key) throws IOException;

    void delete(String key) throws IOException;

    /** A URL serving the object for {@code ttl} (an S3 presigned GET), or null if the store has none (Parley signs its own). */
    URI presignedGet(String key, Duration ttl, String fileName, String contentType);

    /** What it is, for the log. */
    String describe();
}
