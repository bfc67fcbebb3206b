package org.parley.live;

import java.time.Duration;
import java.util.UUID;

/** What both sides are told when a session ends. */
public record SessionSummary(UUID sessionId, String reason, long durationSeconds, int minutesBilled, long amountCharged) {

    static SessionSummary of(LiveSession s) {
        long duration = s.endedAt() == null ? 0 : Duration.between(s.startedAt(), s.endedAt()).toSeconds();
        return new SessionSummary(s.id(), s.endReason(), duration, s.periodsBilled(), s.amountCharged());
    }
}
