package org.parley.identity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.logging.Logger;

/**
 * The RS256 key pair that signs and verifies Parley's tokens.
 *
 * <p>Production names PEM files with {@code PARLEY_JWT_PRIVATE_KEY_LOCATION} and
 * {@code PARLEY_JWT_PUBLIC_KEY_LOCATION} (or the system properties {@code parley.jwt.private-key.location} and
 * {@code parley.jwt.public-key.location}); every node of a cluster must get the same pair. Without them a
 * development pair is generated once into {@code <data dir>/jwt/} and reused after restarts; it is never in
 * the repository. Read with the environment and system properties directly (not MicroProfile Config) because
 * the verifying side is itself a config source (see the web module's JwtConfigSource).
 */
public final class JwtKeys {

    private static final Logger LOG = Logger.getLogger(JwtKeys.class.getName());
    private static volatile KeyPair keys;

    private JwtKeys() {
    }

    public static RSAPrivateKey privateKey() {
        return (RSAPrivateKey) load().getPrivate();
    }

    public static RSAPublicKey publicKey() {
        return (RSAPublicKey) load().getPublic();
    }

    /** The public key as PEM, the form MicroProfile JWT's {@code mp.jwt.verify.publickey} accepts. */
    public static String publicKeyPem() {
        return pem("PUBLIC KEY", publicKey().getEncoded());
    }

    /** The issuer every token carries and every verification demands. */
    public static String issuer() {
        return setting("PARLEY_JWT_ISSUER", "parley.jwt.issuer", "https://parley.dev");
    }

    /** Where Parley keeps generated files (development keys): PARLEY_DATA_DIR, else the server's data dir. */
    public static Path dataDir() {
        String configured = setting("PARLEY_DATA_DIR", "parley.data.dir", null);
        if (configured != null) {
            return Path.of(configured);
        }
        return Path.of(System.getProperty("jboss.server.data.dir", System.getProperty("java.io.tmpdir")), "parley");
    }

    private static KeyPair load() {
        KeyPair k = keys;
        if (k == null) {
            synchronized (JwtKeys.class) {
                if (keys == null) {
                    keys = readOrGenerate();
                }
                k = keys;
            }
        }
        return k;
    }

    private static KeyPair readOrGenerate() {
        String privateLocation = setting("PARLEY_JWT_PRIVATE_KEY_LOCATION", "parley.jwt.private-key.location", null);
        String publicLocation = setting("PARLEY_JWT_PUBLIC_KEY_LOCATION", "parley.jwt.public-key.location", null);
        try {
            if (privateLocation != null && publicLocation != null) {
                return read(Path.of(privateLocation), Path.of(publicLocation));
            }
            return developmentPair(dataDir().resolve("jwt"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the JWT signing keys", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JWT signing keys are not RSA PEM (PKCS#8 private, X.509 public)", e);
        }
    }

    static KeyPair developmentPair(Path dir) throws IOException, GeneralSecurityException {
        Files.createDirectories(dir);
        Path privateFile = dir.resolve("private.pem");
        Path publicFile = dir.resolve("public.pem");
        // Both the EJB and the WAR may ask first; a file lock keeps them (and a second JVM) to one pair.
        try (FileChannel lockFile = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = lockFile.lock()) {
            if (Files.exists(privateFile) && Files.exists(publicFile)) {
                return read(privateFile, publicFile);
            }
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            write(privateFile, pem("PRIVATE KEY", pair.getPrivate().getEncoded()), true);
            write(publicFile, pem("PUBLIC KEY", pair.getPublic().getEncoded()), false);
            LOG.warning("No JWT key configured (PARLEY_JWT_PRIVATE_KEY_LOCATION): generated a development key pair in " + dir);
            return pair;
        }
    }

    private static void write(Path file, String content, boolean secret) throws IOException {
        Path tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
        if (secret) {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        }
        Files.writeString(tmp, content, StandardCharsets.US_ASCII);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static KeyPair read(Path privateFile, Path publicFile) throws IOException, GeneralSecurityException {
        KeyFactory rsa = KeyFactory.getInstance("RSA");
        var priv = rsa.generatePrivate(new PKCS8EncodedKeySpec(der(Files.readString(privateFile))));
        var pub = rsa.generatePublic(new X509EncodedKeySpec(der(Files.readString(publicFile))));
        return new KeyPair(pub, priv);
    }

    private static byte[] der(String pem) {
        String body = pem.replaceAll("-----(BEGIN|END) [A-Z ]+-----", "").replaceAll("\\s", "");
        return Base64.getDecoder().decode(body);
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, new byte[]{'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static String setting(String env, String property, String fallback) {
        String v = System.getenv(env);
        if (v == null || v.isBlank()) {
            v = System.getProperty(property);
        }
        return v == null || v.isBlank() ? fallback : v;
    }
}
