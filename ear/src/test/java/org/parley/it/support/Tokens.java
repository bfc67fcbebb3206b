package org.parley.it.support;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Mints JWTs for tests: with the server's own development key (read from its data folder) or a stranger's. */
public final class Tokens {

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private Tokens() {
    }

    public static Map<String, Object> claims(String subject, String role, Instant issuedAt, Instant expiresAt, String jti) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("iss", "https://parley.dev");
        c.put("sub", subject);
        c.put("upn", subject);
        c.put("groups", List.of(role));
        c.put("iat", issuedAt.getEpochSecond());
        c.put("exp", expiresAt.getEpochSecond());
        c.put("jti", jti == null ? UUID.randomUUID().toString() : jti);
        return c;
    }

    /** Signed RS256 with the server's key: valid as far as the signature goes. */
    public static String signedByServer(Map<String, Object> claims) throws Exception {
        return sign(claims, serverKey());
    }

    /** Signed RS256 with a key the server has never seen. */
    public static String signedByStranger(Map<String, Object> claims) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        return sign(claims, g.generateKeyPair().getPrivate());
    }

    /** An unsigned token claiming {@code alg: none}. */
    public static String unsigned(Map<String, Object> claims) throws Exception {
        return B64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + B64.encodeToString(Api.JSON.writeValueAsBytes(claims)) + ".";
    }

    /** The same token with one claim changed in its payload, signature untouched. */
    public static String tampered(String token, String claim, Object value) throws Exception {
        String[] parts = token.split("\\.");
        @SuppressWarnings("unchecked")
        Map<String, Object> payload = Api.JSON.readValue(Base64.getUrlDecoder().decode(parts[1]), Map.class);
        payload.put(claim, value);
        return parts[0] + "." + B64.encodeToString(Api.JSON.writeValueAsBytes(payload)) + "." + parts[2];
    }

    private static String sign(Map<String, Object> claims, PrivateKey key) throws Exception {
        String header = B64.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String payload = B64.encodeToString(Api.JSON.writeValueAsBytes(claims));
        Signature rsa = Signature.getInstance("SHA256withRSA");
        rsa.initSign(key);
        rsa.update((header + "." + payload).getBytes(StandardCharsets.US_ASCII));
        return header + "." + payload + "." + B64.encodeToString(rsa.sign());
    }

    private static PrivateKey serverKey() throws Exception {
        String pem = Files.readString(Path.of(System.getProperty("parley.it.data.dir"), "jwt", "private.pem"));
        byte[] der = Base64.getDecoder().decode(pem.replaceAll("-----(BEGIN|END) [A-Z ]+-----", "").replaceAll("\\s", ""));
        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
    }
}
