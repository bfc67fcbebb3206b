package org.parley.payout;

import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import org.parley.identity.Caller;
import org.parley.payment.GatewayException;
import org.parley.payment.RazorpayGateway;

import java.util.UUID;
import java.util.logging.Logger;

/**
 * Approval, which spans the gateway: mark PROCESSING and commit, send with the payout id as X-Payout-Idempotency
 * (outside any transaction, so no database lock waits on the network), then apply the gateway's answer. If the
 * gateway cannot be reached the payout stays PROCESSING and the janitor sends it again with the same key.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class PayoutWorkflow {

    private static final Logger LOG = Logger.getLogger(PayoutWorkflow.class.getName());

    @Inject
    private PayoutService payouts;
    @Inject
    private RazorpayGateway gateway;

    public PayoutView approve(UUID id, Caller admin) {
        Payout payout = payouts.startProcessing(id, admin);
        return send(payout);
    }

    /** Sends (or re-sends, idempotently) a PROCESSING payout and applies what the gateway answers. */
    public PayoutView send(Payout payout) {
        try {
            RazorpayGateway.Payout sent = payout.gatewayPayoutId() == null
                    ? gateway.createPayout(payout.amount(), payout.id().toString(), payout.id().toString())
                    : gateway.payout(payout.gatewayPayoutId());
            return payouts.applyGatewayStatus(payout.id(), sent.id(), sent.status());
        } catch (GatewayException.Unavailable e) {
            LOG.warning("Payout " + payout.id() + " stays PROCESSING: " + e.getMessage());
            return payouts.applyGatewayStatus(payout.id(), null, null);
        }
    }
}
