package org.parley.identity;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.parley.common.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.time.Clock;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

/**
 * Verifies a bearer token where MicroProfile JWT does not reach (the WebSocket handshake carries it as a query
 * parameter or subprotocol): RS256 only, signature by Parley's key, issuer, expiry; then the token id must still be
 * recorded, unrevoked and its account active ({@link AccountService#resolve}).
 */
@ApplicationScoped
public class TokenVerifier {

    @Inject
    private AccountService accounts;
    @Inject
    private Clock clock;

    public Optional<Caller> verify(String token) {
        if (token == null) {
            return Optional.empty();
        }
        String[] parts = token.trim().split("\\.");
        if (parts.length != 3) {
            return Optional.empty();
        }
        try {
            Base64.Decoder b64 = Base64.getUrlDecoder();
            JsonNode header = Json.mapper().readTree(b64.decode(parts[0]));
            if (!"RS256".equals(header.path("alg").asText())) {
                return Optional.empty();
            }
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initVerify(JwtKeys.publicKey());
            rsa.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!rsa.verify(b64.decode(parts[2]))) {
                return Optional.empty();
            }
            JsonNode claims = Json.mapper().readTree(b64.decode(parts[1]));
            if (!JwtKeys.issuer().equals(claims.path("iss").asText()) || claims.path("exp").asLong(0) <= clock.instant().getEpochSecond()) {
                return Optional.empty();
            }
            return accounts.resolve(UUID.fromString(claims.path("jti").asText()));
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
