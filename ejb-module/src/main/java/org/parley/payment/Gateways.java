package org.parley.payment;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.parley.common.DomainException.FieldError;
import org.parley.common.Problems;
import org.parley.settings.PlatformSettings;
import org.parley.settings.Setting;

import java.util.List;

/**
 * The payment gateways and the choice between them: a deposit goes to the gateway the client names, or else to the
 * cheaper one for its amount (fees are runtime settings: Razorpay {@code razorpayFeeBasisPoints}, Cashfree
 * {@code cashfreeFeeBasisPoints} + {@code cashfreeFeeFixed}; at equal fees Cashfree), the other being the fallback.
 */
@ApplicationScoped
public class Gateways {

    @Inject
    private RazorpayGateway razorpay;
    @Inject
    private CashfreeGateway cashfree;
    @Inject
    private PlatformSettings settings;

    public PaymentGateway byName(String name) {
        return switch (name) {
            case "razorpay" -> razorpay;
            case "cashfree" -> cashfree;
            default -> throw new IllegalArgumentException("no gateway " + name);
        };
    }

    /**
     * The gateways to try for a deposit of {@code amount}, in order: only the {@code requested} one (400 if unknown), or
     * the cheaper first and the other as its fallback.
     */
    public List<PaymentGateway> route(long amount, String requested) {
        if (requested != null) {
            if (!requested.equals("razorpay") && !requested.equals("cashfree")) {
                throw Problems.badRequest("unknown gateway", List.of(new FieldError("gateway", "razorpay or cashfree")));
            }
            return List.of(byName(requested));
        }
        // compared exactly, in ten-thousandths of a paisa, so that rounding does not move the boundary (₹600 by default)
        long razorpayFee = Math.multiplyExact(amount, settings.get(Setting.RAZORPAY_FEE_BASIS_POINTS));
        long cashfreeFee = Math.multiplyExact(amount, settings.get(Setting.CASHFREE_FEE_BASIS_POINTS)) + settings.get(Setting.CASHFREE_FEE_FIXED) * 10_000L;
        return cashfreeFee <= razorpayFee ? List.of(cashfree, razorpay) : List.of(razorpay, cashfree);
    }
}
