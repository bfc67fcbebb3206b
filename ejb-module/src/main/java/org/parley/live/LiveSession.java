package org.parley.live;

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
 * A live session between a user and an expert, billed per period at the rate frozen at its start. Period n is due
 * at {@code startedAt + (n - 1) × period} (a fixed-rate schedule: no drift); {@code nextChargeAt} is the due instant
 * of the first unpaid period. Only the billing service and the end of the session change it, under its row lock.
 */
@Entity
@Table(name = "live_session")
public class LiveSession implements Access.Owned {

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
    private SessionStatus status;
    @Column(name = "rate_per_minute", nullable = false)
    private long ratePerMinute;
    @Column(name = "period_seconds", nullable = false)
    private int periodSeconds;
    @Column(name = "max_periods", nullable = false)
    private int maxPeriods;
    @Column(name = "started_at", nullable = false)
    private Instant startedAt;
    @Column(name = "next_charge_at", nullable = false)
    private Instant nextChargeAt;
    @Column(name = "grace_until")
    private Instant graceUntil;
    @Column(name = "periods_billed", nullable = false)
    private int periodsBilled;
    @Column(name = "amount_charged", nullable = false)
    private long amountCharged;
    @Column(name = "amount_refunded", nullable = false)
    private long amountRefunded;
    @Column(name = "ended_at")
    private Instant endedAt;
    @Column(name = "end_reason")
    private String endReason;
    @Column(nullable = false)
    private boolean settled;
    /** What the end credited to the expert's pending earnings (null before V14). */
    @Column(name = "expert_net")
    private Long expertNet;
    /** How much of {@link #expertNet} refunds took back. */
    @Column(name = "expert_refunded", nullable = false)
    private long expertRefunded;
    /** The booking that paid for this session in advance (null for a session billed by the minute). */
    @Column(name = "booking_id")
    private UUID bookingId;
    /** How many of the first periods PROMOTIONS pays instead of the wallet (a user's first session: free minutes). */
    @Column(name = "free_periods", nullable = false)
    private int freePeriods;

    protected LiveSession() {
    }

    LiveSession(UUID userId, UUID expertId, Channel channel, long rate, int periodSeconds, int maxPeriods, Instant now) {
        this.id = UUID.randomUUID();
        this.userId = userId;
        this.expertId = expertId;
        this.channel = channel;
        this.status = SessionStatus.ACTIVE;
        this.ratePerMinute = rate;
        this.periodSeconds = periodSeconds;
        this.maxPeriods = maxPeriods;
        this.startedAt = now;
        this.nextChargeAt = now;
    }

    /**
     * A session a booking paid for in full: every one of its {@code minutes} is paid at the start (from the hold, not
     * the wallet), so the billing sweep has nothing to charge and meets it only at {@code endsAt}, its maximum duration.
     */
    static LiveSession booked(UUID bookingId, UUID userId, UUID expertId, Channel channel, long rate, int unitSeconds, int minutes,
                              Instant now, Instant endsAt) {
        LiveSession s = new LiveSession(userId, expertId, channel, rate, unitSeconds, minutes, now);
        s.bookingId = bookingId;
        s.periodsBilled = minutes;
        s.amountCharged = rate * minutes;
        s.nextChargeAt = endsAt;
        return s;
    }

    /**
     * The record of what a booking forfeited to its expert without being held (the user absent, or cancelling late):
     * ended from the start, charged {@code amount}, so it settles, reconciles and can be refunded like any session.
     */
    static LiveSession forfeited(UUID bookingId, UUID userId, UUID expertId, Channel channel, long rate, int unitSeconds, int minutes,
                                 long amount, EndReason reason, Instant now) {
        LiveSession s = new LiveSession(userId, expertId, channel, rate, unitSeconds, minutes, now);
        s.bookingId = bookingId;
        s.amountCharged = amount;
        s.end(reason, now);
        return s;
    }

    /** Makes the first {@code periods} free (paid by PROMOTIONS); set before the first charge. */
    void freeFirst(int periods) {
        this.freePeriods = periods;
    }

    public int freePeriods() {
        return freePeriods;
    }

    /** Is the period now due one of the free ones? */
    boolean nextPeriodFree() {
        return periodsBilled < freePeriods;
    }

    /** What PROMOTIONS paid of {@link #amountCharged}: the free periods charged so far. */
    public long amountFree() {
        return Math.min(freePeriods, periodsBilled) * ratePerMinute;
    }

    /** The period now due has been paid: the next one is due one period later (from the schedule, not from now). */
    void periodPaid() {
        periodsBilled++;
        amountCharged += ratePerMinute;
        nextChargeAt = startedAt.plus(Duration.ofSeconds((long) periodSeconds * periodsBilled));
        status = SessionStatus.ACTIVE;
        graceUntil = null;
    }

    void enterGrace(Instant until) {
        status = SessionStatus.GRACE;
        graceUntil = until;
    }

    void end(EndReason reason, Instant now) {
        status = SessionStatus.ENDED;
        endReason = reason.wire();
        endedAt = now;
    }

    /** The escrow went out at the end: {@code expertNet} of it to the expert's pending earnings. */
    void settledNow(long expertNet) {
        settled = true;
        this.expertNet = expertNet;
    }

    /** {@code amount} went back to the user, {@code fromExpert} of it out of the expert's pending earnings. */
    void refunded(long amount, long fromExpert) {
        amountRefunded += amount;
        expertRefunded += fromExpert;
    }

    public boolean isParticipant(UUID accountId) {
        return userId.equals(accountId) || expertId.equals(accountId);
    }

    @Override
    public boolean isOwnedBy(UUID accountId) {
        return isParticipant(accountId);
    }

    public UUID otherThan(UUID accountId) {
        return userId.equals(accountId) ? expertId : userId;
    }

    public boolean isLive() {
        return status != SessionStatus.ENDED;
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

    public SessionStatus status() {
        return status;
    }

    public long ratePerMinute() {
        return ratePerMinute;
    }

    public int periodSeconds() {
        return periodSeconds;
    }

    public int maxPeriods() {
        return maxPeriods;
    }

    public Instant startedAt() {
        return startedAt;
    }

    public Instant nextChargeAt() {
        return nextChargeAt;
    }

    public Instant graceUntil() {
        return graceUntil;
    }

    public int periodsBilled() {
        return periodsBilled;
    }

    public long amountCharged() {
        return amountCharged;
    }

    public long amountRefunded() {
        return amountRefunded;
    }

    public Instant endedAt() {
        return endedAt;
    }

    public String endReason() {
        return endReason;
    }

    public boolean settled() {
        return settled;
    }

    public UUID bookingId() {
        return bookingId;
    }
}
