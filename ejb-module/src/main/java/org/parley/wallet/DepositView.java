package org.parley.wallet;

import java.time.Instant;
import java.util.UUID;

/** A deposit as its owner sees it; {@code keyId} is the gateway's public key for the checkout;
 * {@code bonus} what a coupon adds to the wallet when it is paid. */
public record DepositView(UUID id, DepositStatus status, long amount, String currency, String gateway,
                          String gatewayOrderId, String keyId, Instant createdAt, long bonus) {

    static DepositView of(Deposit d, String keyId) {
        return new DepositView(d.id(), d.status(), d.amount(), d.currency(), "razorpay", d.gatewayOrderId(), keyId, d.createdAt(), d.bonus());
    }
}
