package org.parley.identity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import org.parley.common.Access;

import java.time.Instant;
import java.util.Locale;
import java.util.UUID;

/**
 * A person's account. The email is unique whatever its case (a database index, not a Java check); the
 * password is only ever held as a slow salted hash; role and status change only through admin actions
 * or the owner's own deactivation, never through profile updates.
 */
@Entity
@Table(name = "account")
public class Account implements Access.Owned {

    /** What a phone number looks like wherever one is accepted (registration, profile, imports). */
    public static final String PHONE_PATTERN = "^\\+?[0-9][0-9 ()-]{5,18}$";

    @Id
    private UUID id;
    @Column(nullable = false)
    private String email;
    @Column(name = "password_hash", nullable = false)
    private String passwordHash;
    @Column(nullable = false)
    private String name;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private Role role;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private AccountStatus status;
    private String phone;
    private String language;
    private Integer age;
    private String bio;
    @Column(name = "referral_code", nullable = false, updatable = false)
    private String referralCode;
    @Column(name = "referred_by", updatable = false)
    private UUID referredBy;
    @Column(name = "created_at", nullable = false)
    private Instant createdAt;
    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;
    @Version
    private long version;

    protected Account() {
    }

    public Account(String email, String passwordHash, String name, Role role, String phone, Instant now) {
        this.id = UUID.randomUUID();
        this.email = normaliseEmail(email);
        this.passwordHash = passwordHash;
        this.name = name;
        this.role = role;
        this.status = AccountStatus.ACTIVE;
        this.phone = phone;
        this.referralCode = ReferralCodes.next();
        this.createdAt = now.truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        this.updatedAt = this.createdAt;
    }

    public static String normaliseEmail(String email) {
        return email == null ? null : email.trim().toLowerCase(Locale.ROOT);
    }

    /** The owner's own profile fields; nothing that grants rights is among them. */
    public void updateProfile(String name, String phone, String language, Integer age, String bio, Instant now) {
        this.name = name;
        this.phone = phone;
        this.language = language;
        this.age = age;
        this.bio = bio;
        this.updatedAt = now;
    }

    public void changeRole(Role role, Instant now) {
        this.role = role;
        this.updatedAt = now;
    }

    public void changePassword(String passwordHash, Instant now) {
        this.passwordHash = passwordHash;
        this.updatedAt = now;
    }

    public void changeStatus(AccountStatus status, Instant now) {
        this.status = status;
        this.updatedAt = now;
    }

    public boolean isActive() {
        return status == AccountStatus.ACTIVE;
    }

    @Override
    public boolean isOwnedBy(UUID accountId) {
        return id.equals(accountId);
    }

    public UUID id() {
        return id;
    }

    public String email() {
        return email;
    }

    public String passwordHash() {
        return passwordHash;
    }

    public String name() {
        return name;
    }

    public Role role() {
        return role;
    }

    public AccountStatus status() {
        return status;
    }

    public String phone() {
        return phone;
    }

    public String language() {
        return language;
    }

    public Integer age() {
        return age;
    }

    public String bio() {
        return bio;
    }

    /** The code this account gives others to be referred by it (unique whatever its case). */
    public String referralCode() {
        return referralCode;
    }

    /** Links a new account to the one whose code it registered with (before it is persisted). */
    void referredBy(UUID referrer) {
        this.referredBy = referrer;
    }

    public Instant createdAt() {
        return createdAt;
    }
}
