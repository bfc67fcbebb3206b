package org.parley.settings;

import java.util.Arrays;
import java.util.Optional;

/** Every runtime platform setting, its default (also seeded by V3 migration) and the range that makes sense. */
public enum Setting {
    FEE_PERCENT("feePercent", 20, 0, 100),
    DEPOSIT_MIN("depositMin", 100, 1, 100_000_000),
    DEPOSIT_MAX("depositMax", 1_000_000, 1, 100_000_000),
    PAYOUT_MIN("payoutMin", 50_000, 1, 1_000_000_000),
    PAYOUT_MAX("payoutMax", 5_000_000, 1, 1_000_000_000),
    BILLING_PERIOD_SECONDS("billingPeriodSeconds", 60, 1, 3600),
    LOW_BALANCE_MINUTES("lowBalanceMinutes", 3, 0, 60),
    GRACE_SECONDS("graceSeconds", 30, 0, 600),
    MAX_SESSION_MINUTES("maxSessionMinutes", 120, 1, 1440),
    EXPERT_CAPACITY("expertCapacity", 1, 1, 50),
    QUEUE_TIMEOUT_SECONDS("queueTimeoutSeconds", 600, 10, 86_400),
    DISCONNECT_TIMEOUT_SECONDS("disconnectTimeoutSeconds", 60, 1, 3600),
    // Bookings (V24). Like every rule above, their minutes are billing periods: a short period makes them short too.
    BOOKING_HORIZON_DAYS("bookingHorizonDays", 30, 1, 366),
    BOOKING_MIN_NOTICE_MINUTES("bookingMinNoticeMinutes", 60, 0, 43_200),
    BOOKING_BUFFER_MINUTES("bookingBufferMinutes", 0, 0, 240),
    CANCELLATION_NOTICE_HOURS("cancellationNoticeHours", 24, 0, 720),
    CANCELLATION_FEE_PERCENT("cancellationFeePercent", 50, 0, 100),
    BOOKING_NO_SHOW_MINUTES("bookingNoShowMinutes", 10, 1, 120),
    // Promotions (V29): periods of a user's first session paid by PROMOTIONS; each side's referral bonus in paise.
    FREE_FIRST_MINUTES("freeFirstMinutes", 0, 0, 60),
    REFERRAL_BONUS("referralBonus", 5000, 0, 1_000_000),
    // Gateways (V31): each one's fee, for routing a deposit to the cheaper (basis points of the amount, plus paise).
    RAZORPAY_FEE_BASIS_POINTS("razorpayFeeBasisPoints", 200, 0, 10_000),
    CASHFREE_FEE_BASIS_POINTS("cashfreeFeeBasisPoints", 150, 0, 10_000),
    CASHFREE_FEE_FIXED("cashfreeFeeFixed", 300, 0, 100_000);

    private final String key;
    private final long defaultValue;
    private final long min;
    private final long max;

    Setting(String key, long defaultValue, long min, long max) {
        this.key = key;
        this.defaultValue = defaultValue;
        this.min = min;
        this.max = max;
    }

    public String key() {
        return key;
    }

    public long defaultValue() {
        return defaultValue;
    }

    public long min() {
        return min;
    }

    public long max() {
        return max;
    }

    public boolean accepts(long value) {
        return value >= min && value <= max;
    }

    public static Optional<Setting> byKey(String key) {
        return Arrays.stream(values()).filter(s -> s.key.equals(key)).findFirst();
    }
}
