package org.parley.identity;

import at.favre.lib.crypto.bcrypt.BCrypt;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.nio.charset.StandardCharsets;

/** bcrypt (salted, cost from {@code parley.password.bcrypt-cost}, default 11; hashes of a lower cost are replaced at sign-in). */
@ApplicationScoped
public class PasswordHasher {

    /** bcrypt reads at most 72 bytes; longer passwords are refused at registration rather than truncated silently. */
    public static final int MAX_PASSWORD_BYTES = 72;

    private int cost;
    private String dummyHash;
    private String unusableHash;

    protected PasswordHasher() {
    }

    @Inject
    public PasswordHasher(@ConfigProperty(name = "parley.password.bcrypt-cost", defaultValue = "11") int cost) {
        this.cost = cost;
        this.dummyHash = hash("not-a-real-password");
        byte[] secret = new byte[32];
        new java.security.SecureRandom().nextBytes(secret);
        this.unusableHash = hash(java.util.HexFormat.of().formatHex(secret));
    }

    public String hash(String password) {
        return BCrypt.withDefaults().hashToString(cost, password.toCharArray());
    }

    public boolean matches(String password, String hash) {
        return BCrypt.verifyer().verify(password.getBytes(StandardCharsets.UTF_8), hash.getBytes(StandardCharsets.UTF_8)).verified;
    }

    /** Whether {@code hash} was made with a lower cost than the configured one (it is replaced at the next sign-in). */
    public boolean needsRehash(String hash) {
        // "$2a$10$...": the cost is the two digits after the version
        return hash.length() > 6 && hash.charAt(0) == '$' && Integer.parseInt(hash.substring(4, 6)) < cost;
    }

    /**
     * A hash no password matches in practice: of 32 random bytes drawn at start-up and never kept. Accounts created
     * without a password (imported applicants) carry it until they accept their invitation.
     */
    public String unusableHash() {
        return unusableHash;
    }

    /** Spends the same time as a real check, so an unknown email cannot be told from a wrong password. */
    public void burnTime(String password) {
        matches(password, dummyHash);
    }
}
