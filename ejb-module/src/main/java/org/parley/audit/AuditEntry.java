package org.parley.audit;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/**
 * One entry of the audit trail. Rows are only ever inserted (a trigger refuses UPDATE and DELETE); each carries
 * the hash of its predecessor, and its own hash covers every field, so any later edit breaks the chain.
 */
@Entity
@Table(name = "audit_entry")
public class AuditEntry {

    @Id
    private long seq;
    @Column(nullable = false)
    private Instant at;
    @Column(name = "actor_id")
    private UUID actorId;
    @Column(name = "actor_role")
    private String actorRole;
    @Column(nullable = false)
    private String action;
    @Column(name = "entity_type", nullable = false)
    private String entityType;
    @Column(name = "entity_id")
    private String entityId;
    @Column(nullable = false)
    private String metadata;
    @Column(name = "prev_hash", nullable = false)
    private String prevHash;
    @Column(nullable = false)
    private String hash;

    protected AuditEntry() {
    }

    AuditEntry(long seq, Instant at, UUID actorId, String actorRole, String action, String entityType,
               String entityId, String metadata, String prevHash) {
        this.seq = seq;
        this.at = at;
        this.actorId = actorId;
        this.actorRole = actorRole;
        this.action = action;
        this.entityType = entityType;
        this.entityId = entityId;
        this.metadata = metadata;
        this.prevHash = prevHash;
        this.hash = AuditChain.hash(this);
    }

    public long seq() {
        return seq;
    }

    public Instant at() {
        return at;
    }

    public UUID actorId() {
        return actorId;
    }

    public String actorRole() {
        return actorRole;
    }

    public String action() {
        return action;
    }

    public String entityType() {
        return entityType;
    }

    public String entityId() {
        return entityId;
    }

    public String metadata() {
        return metadata;
    }

    public String prevHash() {
        return prevHash;
    }

    public String hash() {
        return hash;
    }
}
