package org.parley.payment;

import java.util.List;

/**
 * What the deposit flow needs of a payment gateway, so it does not know which one it uses: an order to pay (and its
 * checkout fields), the payments made against an order, and refunds to the source. Implementations throw
 * {@link GatewayException.Unavailable} (no answer, 5xx) when asking again or elsewhere may help, a plain
 * {@link GatewayException} when the gateway refused the request itself.
 */
public interface PaymentGateway {

    /** The name clients see: {@code razorpay} or {@code cashfree}. */
    String name();

    boolean isMock();

    /** An order created for a deposit: its id at the gateway and what a checkout needs ({@code keyId} or {@code paymentSessionId}). */
    record Checkout(String orderId, String keyId, String paymentSessionId) {
    }

    /** A payment against an order, its status reduced to CAPTURED, FAILED or PENDING, its amount in paise. */
    record Paid(String paymentId, long amount, String currency, String status) {
    }

    /** A refund as the gateway reports it: PROCESSED, PENDING or FAILED. */
    record RefundState(String gatewayRefundId, String status) {
    }

    /** The customer an order is for (Cashfree requires a phone; Razorpay takes none). */
    record Customer(String accountId, String email, String phone) {
    }

    Checkout createOrder(String depositId, long amount, Customer customer);

    List<Paid> paymentsOf(String orderId);

    /**
     * Asks for a refund of {@code amount} paise of a payment, named {@code refundId} (Parley's id, the idempotency
     * reference the gateway keeps), or finds the one asked for before under that name.
     */
    RefundState refund(String orderId, String paymentId, long amount, String refundId);

    /** The state of a refund asked for before (by its gateway id if known, else by Parley's id). */
    RefundState refundState(String orderId, String paymentId, String refundId, String gatewayRefundId);
}
