package org.parley.payment;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.Timeout;
import jakarta.ejb.TimerConfig;
import jakarta.ejb.TimerService;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.parley.common.PeriodClaims;
import org.parley.common.PeriodSlots;
import org.parley.common.idempotency.IdempotencyStore;
import org.parley.payout.Payout;
import org.parley.payout.PayoutService;
import org.parley.payout.PayoutWorkflow;
import org.parley.wallet.Deposit;
import org.parley.wallet.DepositService;

import java.time.Clock;
import java.time.Duration;
import java.util.logging.Logger;

/**
 * Resolves money whose outcome is unknown by asking the gateway, every minute ({@code parley.payment.janitor-seconds}),
 * once across the nodes: each node's timer fires at the start of the minute and the node that claims the minute
 * ({@link PeriodClaims}) runs it (each step is idempotent as well, so an operator's run beside it does no harm): open deposits older than 10 minutes, at their own gateway (captured payments are
 * credited once, through the same path as the webhook), PROCESSING payouts untouched for 2 minutes (re-sent with the
 * same idempotency key or looked up), refunds to the source PENDING for 2 minutes (looked up by Parley's refund id, asked
 * again only if the gateway has none); and it purges expired idempotency keys. Operators can run it now through
 * {@code POST /admin/payments/reconcile}.
 */
@Singleton
@Startup
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class PaymentJanitor {

    private static final Logger LOG = Logger.getLogger(PaymentJanitor.class.getName());
    static final Duration DEPOSIT_AGE = Duration.ofMinutes(10);
    static final Duration PAYOUT_AGE = Duration.ofMinutes(2);
    static final Duration REFUND_AGE = Duration.ofMinutes(2);

    @Inject
    private DepositService deposits;
    @Inject
    private PayoutService payouts;
    @Inject
    private PayoutWorkflow workflow;
    @Inject
    private Gateways gateways;
    @Inject
    private SourceRefunds refunds;
    @Inject
    private IdempotencyStore idempotency;
    @Inject
    private PeriodClaims claims;
    @Inject
    private Clock clock;
    @Resource
    private TimerService timers;
    @Inject
    @ConfigProperty(name = "parley.payment.janitor-seconds", defaultValue = "60")
    private int periodSeconds;

    static final String WORK = "payment-janitor";

    public record Report(int depositsChecked, int payoutsChecked, int keysPurged, int refundsChecked) {
    }

    @PostConstruct
    void schedule() {
        timers.createCalendarTimer(PeriodSlots.every(periodSeconds), new TimerConfig(WORK, false));
    }

    @Timeout
    void everyPeriod() {
        String period = PeriodSlots.slotOf(clock.instant(), periodSeconds).toString();
        try {
            if (!claims.claim(WORK, period)) {
                return;
            }
            claims.purge(WORK, Duration.ofDays(1));
        } catch (RuntimeException e) {
            LOG.warning("Payment janitor could not claim " + period + ": " + e.getMessage());
            return;
        }
        Report r = reconcile(DEPOSIT_AGE, PAYOUT_AGE);
        if (r.depositsChecked() + r.payoutsChecked() + r.refundsChecked() > 0) {
            LOG.info("Payment janitor: " + r);
        }
    }

    /** Asks the gateways about deposits, payouts and refunds to the source older than the given ages. */
    public Report reconcile(Duration depositAge, Duration payoutAge) {
        return reconcile(depositAge, payoutAge, REFUND_AGE);
    }

    public Report reconcile(Duration depositAge, Duration payoutAge, Duration refundAge) {
        int d = 0;
        int p = 0;
        for (Deposit deposit : deposits.openOlderThan(depositAge, 100)) {
            PaymentGateway gateway = gateways.byName(deposit.gateway());
            if (gateway.isMock()) {
                continue;
            }
            d++;
            try {
                for (PaymentGateway.Paid payment : gateway.paymentsOf(deposit.gatewayOrderId())) {
                    if ("CAPTURED".equals(payment.status())) {
                        deposits.captured(deposit.gatewayOrderId(), payment.paymentId(), payment.amount(), payment.currency());
                    }
                }
            } catch (GatewayException e) {
                LOG.warning("Deposit " + deposit.id() + " still unknown: " + e.getMessage());
            }
        }
        int r = 0;
        for (java.util.UUID refund : refunds.pendingOlderThan(refundAge, 100)) {
            r++;
            try {
                refunds.check(refund);
            } catch (GatewayException e) {
                LOG.warning("Refund " + refund + " still unknown: " + e.getMessage());
            }
        }
        for (Payout payout : payouts.processingOlderThan(payoutAge, 100)) {
            p++;
            workflow.send(payout);
        }
        return new Report(d, p, idempotency.purgeExpired(), r);
    }
}
