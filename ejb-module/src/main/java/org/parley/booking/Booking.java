package org.parley.booking;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.parley.common.Access;
import org.parley.common.Channel;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * A consultation booked at an agreed time, its price held from the user's wallet. Its "minutes" are billing periods of
 * {@code unitSeconds} (60 in production), frozen when it was made, and so are the times derived from them (its end, the
 * no-show deadline, the reminders). Changed only by {@link BookingService} under the row's lock.
 */
@Entity
@Table(name = "booking")
public class Booking implements Access.Owned {

    /** How many "minutes" before its start a booking can be joined. */
    static final int JOIN_EARLY_MINUTES = 5;

    @Id
    private UUID id;
    @Column(name = "user_id", nullable = false)
    private UUID userId;
    @Column(name = "expert_id", nullable = false)
    private UUID expertId;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private Channel channel;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private BookingStatus status;
    @Column(name = "starts_at", nullable = false)
    private Instant startsAt;
    @Column(name = "ends_at", nullable = false)
    private Instant endsAt;
    @Column(nullable = false)
    private int minutes;
    @Column(name = "unit_seconds", nullable = false)
    private int unitSeconds;
    @Column(name = "rate_per_minute", nullable = false)
    private long ratePerMinute;
    @Column(name = "hold_amount", nullable = false)
    private long holdAmount;
    @Column(nullable = false)
    private long released;
    @Column(nullable = false)
    private long charged;
    @Column(name = "no_show_at", nullable = false)
    private Instant noShowAt;
    @Column(name = "user_joined_at")
    private Instant userJoinedAt;
    @Column(name = "expert_joined_at")
    private Instant expertJoinedAt;
    @Column(name = "session_id")
    private UUID sessionId;
    @Column
    private String reason;
    @Column(name = "cancelled_by")
    private String cancelledBy;
    @Column(name = "calendar_seq", nullable = false)
    private int calendarSeq;
    @Column(name = "created_at", nullable = false)
    private Instant createdAt;
    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    protected Booking() {
    }

    Booking(UUID userId, UUID expertId, Channel channel, Instant startsAt, int minutes, int unitSeconds, long ratePerMinute,
            int noShowMinutes, Instant now) {
        this.id = UUID.randomUUID();
        this.userId = userId;
        this.expertId = expertId;
        this.channel = channel;
        this.status = BookingStatus.PENDING;
        this.minutes = minutes;
        this.unitSeconds = unitSeconds;
        this.ratePerMinute = ratePerMinute;
        this.holdAmount = ratePerMinute * minutes;
        this.createdAt = now;
        moveTo(startsAt, noShowMinutes, now);
    }

    /** At {@code startsAt} (same length), undecided again: the decision, the joins and the no-show deadline start over. */
    void moveTo(Instant startsAt, int noShowMinutes, Instant now) {
        this.startsAt = startsAt;
        this.endsAt = startsAt.plus(units(minutes));
        Instant noShow = startsAt.plus(units(noShowMinutes));
        this.noShowAt = noShow.isBefore(endsAt) ? noShow : endsAt;
        this.status = BookingStatus.PENDING;
        this.userJoinedAt = null;
        this.expertJoinedAt = null;
        this.reason = null;
        this.updatedAt = now;
    }

    /** {@code n} of this booking's "minutes" as a duration. */
    Duration units(long n) {
        return Duration.ofSeconds(n * unitSeconds);
    }

    void decide(BookingStatus to, String reason, Instant now) {
        this.status = to;
        this.reason = reason;
        this.updatedAt = now;
    }

    void cancel(String by, String reason, Instant now) {
        decide(BookingStatus.CANCELLED, reason, now);
        this.cancelledBy = by;
    }

    void released(long amount) {
        released += amount;
    }

    void charged(long amount, UUID sessionId) {
        charged += amount;
        this.sessionId = sessionId;
    }

    /** Records that {@code accountId} (one of the two) has joined; false if it had already. */
    boolean join(UUID accountId, Instant now) {
        if (accountId.equals(userId)) {
            if (userJoinedAt != null) {
                return false;
            }
            userJoinedAt = now;
        } else {
            if (expertJoinedAt != null) {
                return false;
            }
            expertJoinedAt = now;
        }
        updatedAt = now;
        return true;
    }

    boolean bothJoined() {
        return userJoinedAt != null && expertJoinedAt != null;
    }

    int nextCalendarSequence() {
        return calendarSeq++;
    }

    @Override
    public boolean isOwnedBy(UUID accountId) {
        return userId.equals(accountId) || expertId.equals(accountId);
    }

    public UUID id() {
        return id;
    }

    public UUID userId() {
        return userId;
    }

    public UUID expertId() {
        return expertId;
    }

    public Channel channel() {
        return channel;
    }

    public BookingStatus status() {
        return status;
    }

    public Instant startsAt() {
        return startsAt;
    }

    public Instant endsAt() {
        return endsAt;
    }

    public int minutes() {
        return minutes;
    }

    public int unitSeconds() {
        return unitSeconds;
    }

    public long ratePerMinute() {
        return ratePerMinute;
    }

    public long holdAmount() {
        return holdAmount;
    }

    public long released() {
        return released;
    }

    public long charged() {
        return charged;
    }

    public Instant noShowAt() {
        return noShowAt;
    }

    public Instant userJoinedAt() {
        return userJoinedAt;
    }

    public Instant expertJoinedAt() {
        return expertJoinedAt;
    }

    public UUID sessionId() {
        return sessionId;
    }

    public String reason() {
        return reason;
    }

    public String cancelledBy() {
        return cancelledBy;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant updatedAt() {
        return updatedAt;
    }
}
