package org.parley.expert;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.OneToOne;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import org.parley.common.Channel;
import org.parley.identity.Account;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * An expert's onboarding state and public profile. Its status moves only along {@link ExpertStatus}'s pipeline
 * (by conditional update in {@link ExpertService}); the database refuses {@code online} unless APPROVED.
 */
@Entity
@Table(name = "expert_profile")
public class ExpertProfile {

    @Id
    @Column(name = "account_id")
    private UUID accountId;
    @OneToOne(fetch = FetchType.LAZY)
    @JoinColumn(name = "account_id", insertable = false, updatable = false)
    private Account account;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private ExpertStatus status;
    @Column(name = "rejection_reason")
    private String rejectionReason;
    @Column(name = "status_changed_at", nullable = false)
    private Instant statusChangedAt;
    private String title;
    private String bio;
    @Column(name = "experience_years")
    private Integer experienceYears;
    @Column(name = "rate_chat")
    private Long rateChat;
    @Column(name = "rate_voice")
    private Long rateVoice;
    @Column(name = "rate_video")
    private Long rateVideo;
    @Column(name = "min_rate", insertable = false, updatable = false)
    private Long minRate;
    @Column(nullable = false)
    private BigDecimal rating = BigDecimal.ZERO;
    @Column(name = "review_count", nullable = false)
    private int reviewCount;
    @Column(name = "sessions_completed", nullable = false)
    private long sessionsCompleted;
    @Column(nullable = false)
    private boolean online;
    @ElementCollection
    @CollectionTable(name = "expert_specialty", joinColumns = @JoinColumn(name = "expert_id"))
    @Column(name = "specialty")
    private Set<String> specialties = new TreeSet<>();
    @ElementCollection
    @CollectionTable(name = "expert_language", joinColumns = @JoinColumn(name = "expert_id"))
    @Column(name = "language")
    private Set<String> languages = new TreeSet<>();
    @Version
    private long version;

    protected ExpertProfile() {
    }

    ExpertProfile(UUID accountId, Instant now) {
        this.accountId = accountId;
        this.status = ExpertStatus.APPLIED;
        this.statusChangedAt = now;
    }

    void updatePublicProfile(String title, String bio, Integer experienceYears, Set<String> specialties,
                             Set<String> languages, Map<Channel, Long> rates) {
        this.title = title;
        this.bio = bio;
        this.experienceYears = experienceYears;
        this.specialties.clear();
        this.specialties.addAll(specialties);
        this.languages.clear();
        this.languages.addAll(languages);
        this.rateChat = rates.get(Channel.CHAT);
        this.rateVoice = rates.get(Channel.VOICE);
        this.rateVideo = rates.get(Channel.VIDEO);
    }

    public Map<Channel, Long> rates() {
        Map<Channel, Long> rates = new EnumMap<>(Channel.class);
        if (rateChat != null) {
            rates.put(Channel.CHAT, rateChat);
        }
        if (rateVoice != null) {
            rates.put(Channel.VOICE, rateVoice);
        }
        if (rateVideo != null) {
            rates.put(Channel.VIDEO, rateVideo);
        }
        return rates;
    }

    public UUID accountId() {
        return accountId;
    }

    public Account account() {
        return account;
    }

    public ExpertStatus status() {
        return status;
    }

    public String rejectionReason() {
        return rejectionReason;
    }

    public Instant statusChangedAt() {
        return statusChangedAt;
    }

    public String title() {
        return title;
    }

    public String bio() {
        return bio;
    }

    public Integer experienceYears() {
        return experienceYears;
    }

    public BigDecimal rating() {
        return rating;
    }

    public int reviewCount() {
        return reviewCount;
    }

    public boolean online() {
        return online;
    }

    public Set<String> specialties() {
        return specialties;
    }

    public Set<String> languages() {
        return languages;
    }
}
