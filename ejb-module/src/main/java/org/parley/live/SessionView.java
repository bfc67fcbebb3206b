package org.parley.live;

import org.parley.common.Channel;

import java.time.Instant;
import java.util.UUID;

/** A session as its participants see it (GET /sessions); {@code amountFree} is the part of {@code amountCharged} promotions paid. */
public record SessionView(UUID id, UUID userId, UUID expertId, Channel channel, SessionStatus status, long ratePerMinute,
                          Instant startedAt, Instant endedAt, int minutesBilled, long amountCharged, long amountRefunded,
                          String endReason, Instant nextChargeAt, UUID bookingId, long amountFree) {

    public static SessionView of(LiveSession s) {
        return new SessionView(s.id(), s.userId(), s.expertId(), s.channel(), s.status(), s.ratePerMinute(), s.startedAt(),
                s.endedAt(), s.periodsBilled(), s.amountCharged(), s.amountRefunded(), s.endReason(),
                s.isLive() ? s.nextChargeAt() : null, s.bookingId(), s.amountFree());
    }
}
