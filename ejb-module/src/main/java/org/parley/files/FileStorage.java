package org.parley.files;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.parley.identity.JwtKeys;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.logging.Logger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The one object store of this node, chosen at start: the S3 bucket named by {@code PARLEY_S3_BUCKET} (with
 * {@code PARLEY_S3_ENDPOINT}, {@code _REGION}, {@code _ACCESS_KEY}, {@code _SECRET_KEY}), or, with no bucket configured,
 * the folder {@code <data dir>/files} (logged, like the embedded database). Also the key that signs Parley's own
 * download URLs (the folder store has none of its own): {@code PARLEY_FILES_SIGNING_KEY}, or one generated into the
 * data directory.
 */
@ApplicationScoped
public class FileStorage {

    private static final Logger LOG = Logger.getLogger(FileStorage.class.getName());

    @Inject
    @ConfigProperty(name = "parley.s3.bucket")
    Optional<String> bucket;
    @Inject
    @ConfigProperty(name = "parley.s3.endpoint")
    Optional<String> endpoint;
    @Inject
    @ConfigProperty(name = "parley.s3.region", defaultValue = "us-east-1")
    String region;
    @Inject
    @ConfigProperty(name = "parley.s3.access-key")
    Optional<String> accessKey;
    @Inject
    @ConfigProperty(name = "parley.s3.secret-key")
    Optional<String> secretKey;
    @Inject
    @ConfigProperty(name = "parley.files.signing-key")
    Optional<String> signingKey;

    private ObjectStore store;
    private byte[] key;

    @PostConstruct
    void start() {
        if (bucket.filter(b -> !b.isBlank()).isPresent()) {
            S3ObjectStore s3 = new S3ObjectStore(endpoint.orElse(null), region, bucket.get(), accessKey.orElse(""), secretKey.orElse(""));
            s3.ensureBucket();
            store = s3;
        } else {
            store = new FolderObjectStore(JwtKeys.dataDir().resolve("files").toAbsolutePath().normalize());
            LOG.warning("PARLEY_S3_BUCKET is not set: files are kept in a local folder (" + store.describe()
                    + "), fine for development; configure S3 for anything else");
        }
        LOG.info("file store: " + store.describe());
        key = signingKey.filter(k -> !k.isBlank()).map(k -> k.getBytes(StandardCharsets.UTF_8)).orElseGet(FileStorage::generatedKey);
    }

    public ObjectStore store() {
        return store;
    }

    /** HMAC-SHA256 of {@code text} with the signing key, hex. */
    public String sign(String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] generatedKey() {
        Path file = JwtKeys.dataDir().resolve("file-signing.key");
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(file.getParent());
                byte[] fresh = new byte[32];
                new SecureRandom().nextBytes(fresh);
                Path tmp = Files.createTempFile(file.getParent(), "file-signing", ".tmp");
                Files.writeString(tmp, Base64.getEncoder().encodeToString(fresh));
                try {
                    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException ignored) {
                    // not a POSIX file system
                }
                try {
                    Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                } catch (java.nio.file.FileAlreadyExistsException raced) {
                    Files.deleteIfExists(tmp);
                }
            }
            return Base64.getDecoder().decode(Files.readString(file).trim());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create " + file, e);
        }
    }
}
