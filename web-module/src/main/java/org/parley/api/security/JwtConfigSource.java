package org.parley.api.security;

import org.eclipse.microprofile.config.spi.ConfigSource;
import org.parley.identity.JwtKeys;

import java.util.Map;
import java.util.Set;

/**
 * Hands MicroProfile JWT the key and issuer that Parley signs with ({@link JwtKeys}), so a configured key pair
 * or the generated development pair is verified without anyone copying a public key into configuration.
 * Ordinal 150: above microprofile-config.properties, below environment variables and system properties.
 */
public class JwtConfigSource implements ConfigSource {

    private static final String PUBLIC_KEY = "mp.jwt.verify.publickey";
    private static final String ISSUER = "mp.jwt.verify.issuer";

    @Override
    public Set<String> getPropertyNames() {
        return Set.of(PUBLIC_KEY, ISSUER);
    }

    @Override
    public Map<String, String> getProperties() {
        return Map.of(PUBLIC_KEY, JwtKeys.publicKeyPem(), ISSUER, JwtKeys.issuer());
    }

    @Override
    public String getValue(String name) {
        return switch (name) {
            case PUBLIC_KEY -> JwtKeys.publicKeyPem();
            case ISSUER -> JwtKeys.issuer();
            default -> null;
        };
    }

    @Override
    public String getName() {
        return "parley-jwt-keys";
    }

    @Override
    public int getOrdinal() {
        return 150;
    }
}
