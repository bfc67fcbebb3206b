package org.parley.payment;

import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import org.parley.common.idempotency.IdempotencyStore;
import org.parley.payout.Payout;
import org.parley.payout.PayoutService;
import org.parley.payout.PayoutWorkflow;
import org.parley.wallet.Deposit;
import org.parley.wallet.DepositService;

import java.time.Duration;
import java.util.logging.Logger;

/**
 * Resolves money whose outcome is unknown by asking the gateway, every minute on every node (each step is
 * idempotent, so nodes may overlap): open deposits older than 10 minutes (captured payments are credited once,
 * through the same path as the webhook), PROCESSING payouts untouched for 2 minutes (re-sent with the same
 * idempotency key or looked up); and it purges expired idempotency keys. Operators can run it now through
 * {@code POST /admin/payments/reconcile}.
 */
@Singleton
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class PaymentJanitor {

    private static final Logger LOG = Logger.getLogger(PaymentJanitor.class.getName());
    static final Duration DEPOSIT_AGE = Duration.ofMinutes(10);
    static final Duration PAYOUT_AGE = Duration.ofMinutes(2);

    @Inject
    private DepositService deposits;
    @Inject
    private PayoutService payouts;
    @Inject
    private PayoutWorkflow workflow;
    @Inject
    private RazorpayGateway gateway;
    @Inject
    private IdempotencyStore idempotency;

    public record Report(int depositsChecked, int payoutsChecked, int keysPurged) {
    }

    @Schedule(minute = "*", hour = "*", persistent = false, info = "payment-janitor")
    void everyMinute() {
        Report r = reconcile(DEPOSIT_AGE, PAYOUT_AGE);
        if (r.depositsChecked() + r.payoutsChecked() > 0) {
            LOG.info("Payment janitor: " + r);
        }
    }

    /** Asks the gateway about deposits and payouts older than the given ages. */
    public Report reconcile(Duration depositAge, Duration payoutAge) {
        int d = 0;
        int p = 0;
        if (!gateway.isMock()) {
            for (Deposit deposit : deposits.openOlderThan(depositAge, 100)) {
                d++;
                try {
                    for (RazorpayGateway.Payment payment : gateway.paymentsOf(deposit.gatewayOrderId())) {
                        if ("captured".equals(payment.status())) {
                            deposits.captured(deposit.gatewayOrderId(), payment.id(), payment.amount(), payment.currency());
                        }
                    }
                } catch (GatewayException e) {
                    LOG.warning("Deposit " + deposit.id() + " still unknown: " + e.getMessage());
                }
            }
        }
        for (Payout payout : payouts.processingOlderThan(payoutAge, 100)) {
            p++;
            workflow.send(payout);
        }
        return new Report(d, p, idempotency.purgeExpired());
    }
}
