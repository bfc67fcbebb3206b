package org.parley.identity;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.parley.common.Json;

import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Signs RS256 JWTs in the shape MicroProfile JWT verifies: iss, sub, upn, groups, iat, exp, jti. */
@ApplicationScoped
public class TokenIssuer {

    public static final Duration LIFETIME = Duration.ofHours(24);

    /** A signed token and the facts recorded about it. */
    public record IssuedToken(String token, UUID jti, Instant issuedAt, Instant expiresAt) {
    }

    public IssuedToken issue(Account account, Instant now) {
        UUID jti = UUID.randomUUID();
        Instant expires = now.plus(LIFETIME);
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", JwtKeys.issuer());
        claims.put("sub", account.id().toString());
        claims.put("upn", account.email());
        claims.put("groups", List.of(account.role().name()));
        claims.put("iat", now.getEpochSecond());
        claims.put("exp", expires.getEpochSecond());
        claims.put("jti", jti.toString());
        return new IssuedToken(sign(claims), jti, now, expires);
    }

    private static String sign(Map<String, Object> claims) {
        try {
            Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
            String header = b64.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
            String payload = b64.encodeToString(Json.mapper().writeValueAsBytes(claims));
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initSign(JwtKeys.privateKey());
            rsa.update((header + "." + payload).getBytes(StandardCharsets.US_ASCII));
            return header + "." + payload + "." + b64.encodeToString(rsa.sign());
        } catch (GeneralSecurityException | JsonProcessingException e) {
            throw new IllegalStateException("cannot sign a token", e);
        }
    }
}
