package org.parley.payout;

import java.time.Instant;
import java.util.UUID;

/** A payout as experts and admins see it. */
public record PayoutView(UUID id, UUID expertId, PayoutStatus status, long amount, String gatewayPayoutId, String reason,
                         Instant createdAt, Instant updatedAt) {

    static PayoutView of(Payout p) {
        return new PayoutView(p.id(), p.expertId(), p.status(), p.amount(), p.gatewayPayoutId(), p.reason(), p.createdAt(), p.updatedAt());
    }
}
