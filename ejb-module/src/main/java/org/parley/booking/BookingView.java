package org.parley.booking;

import org.parley.common.Channel;

import java.time.Instant;
import java.util.UUID;

/**
 * A booking as its two participants (and admins) see it: the contract's fields, then what happened to the hold
 * ({@code released} to the wallet, {@code charged} to a session), the joins and the session it led to.
 */
public record BookingView(UUID id, BookingStatus status, UUID userId, UUID expertId, Channel channel, Instant startsAt, Instant endsAt,
                          int minutes, long ratePerMinute, long holdAmount, Instant createdAt, Instant updatedAt, long released,
                          long charged, String reason, String cancelledBy, Instant userJoinedAt, Instant expertJoinedAt, UUID sessionId) {

    static BookingView of(Booking b) {
        return new BookingView(b.id(), b.status(), b.userId(), b.expertId(), b.channel(), b.startsAt(), b.endsAt(), b.minutes(),
                b.ratePerMinute(), b.holdAmount(), b.createdAt(), b.updatedAt(), b.released(), b.charged(), b.reason(), b.cancelledBy(),
                b.userJoinedAt(), b.expertJoinedAt(), b.sessionId());
    }
}
