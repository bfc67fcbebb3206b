package org.parley.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.parley.it.support.Accounts;
import org.parley.it.support.Accounts.Person;
import org.parley.it.support.Api;
import org.parley.it.support.Concurrently;
import org.parley.it.support.Db;
import org.parley.it.support.Eventually;
import org.parley.it.support.Live;
import org.parley.it.support.Money;
import org.parley.it.support.Orders;
import org.parley.it.support.Razorpay;
import org.parley.it.support.SystemTest;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.parley.it.support.Problems.assertFieldError;
import static org.parley.it.support.Problems.assertProblem;

/**
 * Promotions over HTTP against the deployed EAR: coupons (their limits under concurrency, caps, release on
 * cancellation, deposit bonuses), referral rewards, free first minutes — every discount and bonus paid by PROMOTIONS.
 */
class PromotionsIT extends SystemTest {

    private static final long PRICE = 12_347;
    private String admin;

    @BeforeEach
    void signIn() {
        admin = Accounts.admin(api);
    }

    @AfterEach
    void noFreeMinutes() {
        assertEquals(200, api.patch("/admin/config", admin, Map.of("freeFirstMinutes", 0, "referralBonus", 5_000)).status());
    }

    private Person fundedUser(long wallet) {
        Person user = Accounts.user(api);
        if (wallet > 0) {
            Money.fund(api, admin, user.id(), "WALLET", wallet);
        }
        return user;
    }

    private Api.Resp validate(Person p, String code, long amount, String appliesTo) {
        return api.post("/coupons/validate", p.token(), Map.of("code", code, "amount", amount, "appliesTo", appliesTo));
    }

    @Test
    void couponCodesAreUniqueWhateverTheirCaseAndAreCheckedWithTheReasonTheyCannotBeUsed() {
        JsonNode c = Orders.coupon(api, admin, Map.of("kind", "PERCENT", "value", 10, "maxDiscount", 1_000, "minAmount", 5_000, "totalLimit", 3));
        String code = c.get("code").asText();
        assertEquals(0, c.get("uses").asInt());
        assertEquals(1, c.get("perUserLimit").asInt(), "one use per user unless said otherwise");
        Map<String, Object> again = new HashMap<>(Map.of("code", code.toLowerCase(), "kind", "FLAT", "value", 100, "appliesTo", "ORDERS",
                "validFrom", Instant.now().toString(), "validTo", Instant.now().plusSeconds(60).toString()));
        assertProblem(api.post("/admin/coupons", admin, again), 409, "duplicate-coupon");
        Map<String, Object> nonsense = new HashMap<>(again);
        nonsense.putAll(Map.of("code", "NONSENSE1", "kind", "PERCENT", "value", 150, "validTo", Instant.now().minusSeconds(60).toString()));
        JsonNode problem = assertProblem(api.post("/admin/coupons", admin, nonsense), 422, "invalid-coupon");
        assertFieldError(problem, "value");
        assertFieldError(problem, "validTo");

        Person user = fundedUser(0);
        assertProblem(api.post("/admin/coupons", user.token(), again), 403, "forbidden");
        JsonNode quote = validate(user, code.toLowerCase(), 20_000, "ORDERS").json();
        assertEquals(code, quote.get("code").asText());
        assertEquals(1_000, quote.get("discount").asLong(), "10 % of 20,000 capped at 1,000");
        assertEquals(500, validate(user, code, 5_000, "ORDERS").json().get("discount").asLong(), "at the minimum amount exactly");
        assertProblem(validate(user, code, 4_999, "ORDERS"), 422, "below-minimum");
        assertProblem(validate(user, code, 20_000, "DEPOSITS"), 422, "coupon-inactive");
        assertProblem(validate(user, "NO-SUCH-CODE", 20_000, "ORDERS"), 404, "not-found");
        JsonNode expired = Orders.coupon(api, admin, Map.of("kind", "FLAT", "value", 100, "validFrom", Instant.now().minusSeconds(7_200).toString(),
                "validTo", Instant.now().minusSeconds(3_600).toString()));
        assertProblem(validate(user, expired.get("code").asText(), 20_000, "ORDERS"), 422, "coupon-expired");
        assertEquals(200, api.patch("/admin/coupons/" + c.get("id").asText(), admin, Map.of("active", false)).status());
        assertProblem(validate(user, code, 20_000, "ORDERS"), 422, "coupon-inactive");
    }

    @Test
    void twentyConcurrentOrdersOnACouponLimitedToFiveUsesGetExactlyFiveDiscounts() throws Exception {
        String serviceId = Orders.service(api, admin, PRICE, 10).get("id").asText();
        JsonNode coupon = Orders.coupon(api, admin, Map.of("kind", "PERCENT", "value", 10, "totalLimit", 5));
        String code = coupon.get("code").asText();
        List<Person> users = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            users.add(fundedUser(PRICE));
        }
        List<Integer> next = new ArrayList<>(List.of(0));
        List<Api.Resp> answers = Concurrently.run(20, () -> {
            Person p;
            synchronized (next) {
                p = users.get(next.get(0));
                next.set(0, next.get(0) + 1);
            }
            return Orders.place(new Api(), p, serviceId, Orders.answers(), code);
        });
        long placed = answers.stream().filter(r -> r.status() == 201).count();
        assertEquals(5, placed, () -> answers.toString());
        for (Api.Resp r : answers) {
            if (r.status() == 201) {
                assertEquals(1_234, r.json().get("discount").asLong());
                assertEquals(PRICE - 1_234, r.json().get("amount").asLong());
                assertEquals(code, r.json().get("couponCode").asText());
            } else {
                assertProblem(r, 422, "limit-reached");
            }
        }
        assertEquals(5, api.get("/admin/coupons/" + coupon.get("id").asText(), admin).json().get("uses").asInt());
        assertEquals(5, Db.count("select count(*) from coupon_redemption where coupon_id = ?::uuid", coupon.get("id").asText()));
        assertEquals(5 * 1_234, Db.count("select coalesce(sum(t.amount), 0) from ledger_transfer t join report_order o on t.reference = 'order:' || o.id"
                + " where t.kind = 'PROMOTION' and o.coupon_id = ?::uuid", coupon.get("id").asText()), "PROMOTIONS paid each discount");
        long untouched = users.stream().filter(u -> Money.walletBalance(api, u.token()) == PRICE).count();
        assertEquals(15, untouched, "the refused orders charged nothing");
    }

    @Test
    void aPerUserLimitHoldsUnderConcurrencyAndACancelledOrderGivesItsUseBack() throws Exception {
        String serviceId = Orders.service(api, admin, PRICE, 10).get("id").asText();
        JsonNode coupon = Orders.coupon(api, admin, Map.of("kind", "FLAT", "value", 2_000, "perUserLimit", 2));
        String code = coupon.get("code").asText();
        Person user = fundedUser(10 * PRICE);
        List<Api.Resp> answers = Concurrently.run(6, () -> Orders.place(new Api(), user, serviceId, Orders.answers(), code));
        List<Api.Resp> placed = answers.stream().filter(r -> r.status() == 201).toList();
        assertEquals(2, placed.size(), () -> answers.toString());
        answers.stream().filter(r -> r.status() != 201).forEach(r -> assertProblem(r, 422, "limit-reached"));
        assertProblem(validate(user, code, PRICE, "ORDERS"), 422, "limit-reached");
        assertEquals(200, validate(fundedUser(0), code, PRICE, "ORDERS").status(), "another user still may");

        String cancelled = placed.get(0).json().get("id").asText();
        JsonNode back = api.post("/orders/" + cancelled + "/cancel", user.token(), Map.of("reason", "wrong date")).json();
        assertEquals(PRICE - 2_000, back.get("refunded").asLong(), "the user gets back what the user paid");
        assertEquals(2_000, Orders.moved("PROMOTION_RETURN", "order:" + cancelled), "the discount returns to PROMOTIONS");
        assertEquals(200, validate(user, code, PRICE, "ORDERS").status(), "the use is given back");
        assertEquals(201, Orders.place(api, user, serviceId, Orders.answers(), code).status());
        assertEquals(2, api.get("/admin/coupons/" + coupon.get("id").asText(), admin).json().get("uses").asInt());
        assertEquals(10 * PRICE - 2 * (PRICE - 2_000), Money.walletBalance(api, user.token()));
    }

    @Test
    void aFlatCouponLargerThanThePriceIsCappedAtItAndTheExpertStillEarnsOnTheFullPrice() {
        String serviceId = Orders.service(api, admin, PRICE, 10).get("id").asText();
        String code = Orders.coupon(api, admin, Map.of("kind", "FLAT", "value", 50_000)).get("code").asText();
        Person user = fundedUser(1_000);
        JsonNode free = Orders.place(api, user, serviceId, Orders.answers(), code).json();
        String id = free.get("id").asText();
        assertEquals(PRICE, free.get("discount").asLong());
        assertEquals(0, free.get("amount").asLong());
        assertEquals(1_000, Money.walletBalance(api, user.token()), "nothing from the wallet");
        assertEquals(0, Orders.moved("ORDER_PAYMENT", "order:" + id));
        assertEquals(PRICE, Orders.moved("PROMOTION", "order:" + id));

        Person expert = Accounts.approvedExpert(api, admin, "Writer", Accounts.profile("Astrologer", List.of("vedic"), List.of("en"),
                Map.of("CHAT", 1_000L)));
        assertEquals(200, api.put("/admin/orders/" + id + "/assignment", admin, Map.of("expertId", expert.id())).status());
        assertEquals(200, api.post("/orders/" + id + "/start", expert.token(), null).status());
        Api.Resp file = FilesIT.upload(expert.token(), "REPORT", "r.pdf", "application/pdf", FilesIT.pdf());
        assertEquals(201, api.post("/orders/" + id + "/reports", expert.token(), Map.of("fileId", file.json().get("id").asText())).status());
        assertEquals(200, api.post("/orders/" + id + "/accept", user.token(), null).status());
        assertEquals(PRICE - 2_469, Orders.moved("ORDER_EARNING", "order:" + id), "net of the full price, not of what the user paid");
        assertEquals(2_469, Orders.moved("PLATFORM_FEE", "order:" + id));
    }

    @Test
    void aDepositCouponAddsItsBonusFromPromotionsWhenPaidAndAFailedDepositGivesItsUseBack() {
        String code = Orders.coupon(api, admin, Map.of("kind", "PERCENT", "value", 10, "maxDiscount", 700, "appliesTo", "DEPOSITS",
                "minAmount", 1_000)).get("code").asText();
        Person user = fundedUser(0);
        assertProblem(Orders.place(api, user, Orders.service(api, admin, PRICE, 10).get("id").asText(), Orders.answers(), code), 422,
                "coupon-inactive");
        JsonNode paid = Money.paidDeposit(api, user, 10_000, code);
        assertEquals(700, paid.get("bonus").asLong());
        assertEquals(10_700, Money.walletBalance(api, user.token()));
        assertEquals(700, Orders.moved("PROMOTION", "coupon:deposit:" + paid.get("id").asText()));
        assertProblem(Money.postIdempotent(api, "/wallet/deposits", user.token(), Money.key(), Map.of("amount", 10_000, "couponCode", code)),
                422, "limit-reached");

        Person other = fundedUser(0);
        String orderId = Razorpay.nextOrder(5_000);
        Api.Resp opened = Money.postIdempotent(api, "/wallet/deposits", other.token(), Money.key(), Map.of("amount", 5_000, "couponCode", code));
        assertEquals(201, opened.status(), opened::toString);
        assertEquals(500, opened.json().get("bonus").asLong());
        assertProblem(validate(other, code, 5_000, "DEPOSITS"), 422, "limit-reached");
        String body = Razorpay.paymentEvent("payment.failed", orderId, Razorpay.newPaymentId(), 5_000, "INR");
        assertEquals(200, Razorpay.deliver(api, Razorpay.newEventId(), body, Razorpay.webhookSignature(body)).status());
        assertEquals(200, validate(other, code, 5_000, "DEPOSITS").status(), "the failed deposit's use is back");
        assertEquals(0, Money.walletBalance(api, other.token()));
    }

    @Test
    void aReferralRewardsBothSidesOnceOnTheFirstPaidDepositAndNeverTheReferrerThemself() {
        Person referrer = fundedUser(0);
        String code = Accounts.me(api, referrer.token()).get("referralCode").asText();
        assertEquals(8, code.length());
        Person expertApplicant = Accounts.expertApplicant(api);
        assertFalse(Accounts.me(api, expertApplicant.token()).has("referralCode"), "experts have no referral code");

        String email = Accounts.uniqueEmail("referred");
        Api.Resp registered = api.post("/auth/register", null, Map.of("email", email, "password", Accounts.PASSWORD, "name", "Referred",
                "role", "USER", "referralCode", code.toLowerCase()));
        assertEquals(201, registered.status(), registered::toString);
        Person referred = new Person(registered.json().get("id").asText(), email, Accounts.login(api, email, Accounts.PASSWORD));
        assertFieldError(assertProblem(api.post("/auth/register", null, Map.of("email", Accounts.uniqueEmail("x"), "password", Accounts.PASSWORD,
                "name", "X", "role", "USER", "referralCode", "NOPE2345")), 422, "unknown-referral-code"), "referralCode");
        assertProblem(api.post("/auth/register", null, Map.of("email", Accounts.uniqueEmail("x"), "password", Accounts.PASSWORD,
                "name", "X", "role", "EXPERT", "referralCode", code)), 422, "referral-for-users");

        Money.paidDeposit(api, referred, 20_000, null);
        assertEquals(25_000, Money.walletBalance(api, referred.token()), "the deposit and the welcome bonus");
        assertEquals(5_000, Money.walletBalance(api, referrer.token()), "the referrer's bonus");
        Money.paidDeposit(api, referred, 20_000, null);
        assertEquals(45_000, Money.walletBalance(api, referred.token()), "only the first deposit is rewarded");
        assertEquals(5_000, Money.walletBalance(api, referrer.token()));
        assertEquals(2, Db.count("select count(*) from ledger_transfer where kind = 'PROMOTION' and reference like 'referral:' || ? || ':%'",
                referred.id()));
        assertEquals(1, Db.count("select count(*) from notification where account_id = ?::uuid and kind = 'REFERRAL_BONUS'", referrer.id()));

        assertProblem(api.post("/me/referral", referrer.token(), Map.of("referralCode", code)), 422, "self-referral");
        assertProblem(api.post("/me/referral", referrer.token(), Map.of("referralCode",
                Accounts.me(api, referred.token()).get("referralCode").asText())), 422, "self-referral");
        assertProblem(api.post("/me/referral", referred.token(), Map.of("referralCode", code)), 409, "already-referred");
        Person late = fundedUser(0);
        Money.paidDeposit(api, late, 1_000, null);
        assertProblem(api.post("/me/referral", late.token(), Map.of("referralCode", code)), 422, "referral-too-late");
        Person linksLater = fundedUser(0);
        assertEquals(204, api.post("/me/referral", linksLater.token(), Map.of("referralCode", code)).status());
        Money.paidDeposit(api, linksLater, 1_000, null);
        assertEquals(6_000, Money.walletBalance(api, linksLater.token()));
        assertEquals(10_000, Money.walletBalance(api, referrer.token()));
        assertEquals(1, Db.count("select count(*) from account where id = ?::uuid and referred_by is null", referrer.id()),
                "nobody's referrer is themself");
    }

    @Test
    void aUsersFirstSessionHasItsFirstMinutesPaidByPromotionsAndTheExpertEarnsThemAsUsual() {
        Live.fastBilling(api, admin, 1, 2);
        assertEquals(200, api.patch("/admin/config", admin, Map.of("freeFirstMinutes", 2)).status());
        Person expert = Live.onlineExpert(api, admin, 1_000);
        Person user = fundedUser(0);
        Api.Resp started = Live.start(api, user, expert, "CHAT");
        assertEquals(201, started.status(), "an empty wallet starts a first session with free minutes: " + started);
        String id = started.json().get("id").asText();
        JsonNode ended = Live.awaitEnded(api, user.token(), id, Duration.ofSeconds(30));
        assertEquals("insufficient-balance", ended.get("endReason").asText(), ended::toString);
        assertEquals(2, ended.get("minutesBilled").asInt(), "the two free periods, then nothing to pay with");
        assertEquals(2_000, ended.get("amountFree").asLong());
        assertEquals(2_000, Db.count("select coalesce(sum(t.amount), 0) from ledger_transfer t join ledger_account a on a.id = t.from_account"
                + " where a.kind = 'PROMOTIONS' and t.kind = 'SESSION_CHARGE' and t.reference like ? || ':%'", id));
        assertEquals(1_600, Orders.moved("SESSION_EARNING", id), "the expert earns the free minutes less the fee");
        assertProblem(Money.refund(api, admin, id, Map.of("reason", "free minutes are not the user's money")), 422, "refund-out-of-range");

        Money.fund(api, admin, user.id(), "WALLET", 3_000);
        Person second = Live.onlineExpert(api, admin, 1_000);
        String next = Live.start(api, user, second, "CHAT").json().get("id").asText();
        Eventually.until(Duration.ofSeconds(20), () -> Live.session(api, user.token(), next), s -> s.get("minutesBilled").asInt() >= 2,
                "two periods of the second session");
        JsonNode summary = api.post("/sessions/" + next + "/end", user.token(), null).json();
        assertEquals(0, Live.session(api, user.token(), next).get("amountFree").asLong(), "only the first session ever is free");
        assertEquals(3_000 - summary.get("amountCharged").asLong(), Money.walletBalance(api, user.token()));
        assertTrue(summary.get("amountCharged").asLong() >= 2_000);

        Person noFree = fundedUser(0);
        assertEquals(200, api.patch("/admin/config", admin, Map.of("freeFirstMinutes", 0)).status());
        assertProblem(Live.start(api, noFree, Live.onlineExpert(api, admin, 1_000), "CHAT"), 422, "insufficient-balance");
        assertEquals(1, Db.count("select count(*) from account where id = ?::uuid and first_session_at is null", noFree.id()),
                "a session that did not open is no first session");
    }
}
