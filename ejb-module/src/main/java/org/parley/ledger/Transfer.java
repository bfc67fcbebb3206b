package org.parley.ledger;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/**
 * One movement of money, {@code from} → {@code to}, of a positive amount. Read-only here: transfers are written
 * only by {@link Ledger} and never updated or deleted (a trigger refuses both); a correction is a new transfer
 * that names the one it corrects.
 */
@Entity
@Table(name = "ledger_transfer")
public class Transfer {

    @Id
    private UUID id;
    @Column(name = "from_account", nullable = false, updatable = false)
    private UUID fromAccount;
    @Column(name = "to_account", nullable = false, updatable = false)
    private UUID toAccount;
    @Column(nullable = false, updatable = false)
    private long amount;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false, updatable = false)
    private TransferKind kind;
    @Column(updatable = false)
    private String reference;
    @Column(updatable = false)
    private UUID corrects;
    @Column(name = "from_balance_after", updatable = false)
    private Long fromBalanceAfter;
    @Column(name = "to_balance_after", updatable = false)
    private Long toBalanceAfter;
    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    protected Transfer() {
    }

    public UUID id() {
        return id;
    }

    public UUID fromAccount() {
        return fromAccount;
    }

    public UUID toAccount() {
        return toAccount;
    }

    public long amount() {
        return amount;
    }

    public TransferKind kind() {
        return kind;
    }

    public String reference() {
        return reference;
    }

    public Long fromBalanceAfter() {
        return fromBalanceAfter;
    }

    public Long toBalanceAfter() {
        return toBalanceAfter;
    }

    public Instant createdAt() {
        return createdAt;
    }
}
