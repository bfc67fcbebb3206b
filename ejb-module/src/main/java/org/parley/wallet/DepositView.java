package org.parley.wallet;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.util.UUID;

/** A deposit as its owner sees it; {@code keyId} (Razorpay) or {@code paymentSessionId} (Cashfree) is
 * what the gateway's checkout needs;
 * {@code bonus} what a coupon adds to the wallet when it is paid. */
public record DepositView(UUID id, DepositStatus status, long amount, String currency, String gateway,
                          String gatewayOrderId, @JsonInclude(JsonInclude.Include.NON_NULL) String keyId, Instant createdAt, long bonus,
                          @JsonInclude(JsonInclude.Include.NON_NULL) String paymentSessionId) {

    static DepositView of(Deposit d, String razorpayKeyId) {
        return new DepositView(d.id(), d.status(), d.amount(), d.currency(), d.gateway(), d.gatewayOrderId(),
                "razorpay".equals(d.gateway()) ? razorpayKeyId : null, d.createdAt(), d.bonus(), d.paymentSessionId());
    }
}
