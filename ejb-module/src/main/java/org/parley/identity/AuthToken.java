package org.parley.identity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** The record of one issued JWT (by its {@code jti}): a token is honoured only while this row is unrevoked. */
@Entity
@Table(name = "auth_token")
public class AuthToken {

    @Id
    private UUID jti;
    @Column(name = "account_id", nullable = false)
    private UUID accountId;
    @Column(name = "issued_at", nullable = false)
    private Instant issuedAt;
    @Column(name = "expires_at", nullable = false)
    private Instant expiresAt;
    @Column(name = "revoked_at")
    private Instant revokedAt;

    protected AuthToken() {
    }

    public AuthToken(UUID jti, UUID accountId, Instant issuedAt, Instant expiresAt) {
        this.jti = jti;
        this.accountId = accountId;
        this.issuedAt = issuedAt;
        this.expiresAt = expiresAt;
    }

    public UUID jti() {
        return jti;
    }
}
