package org.parley.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.parley.it.support.Accounts;
import org.parley.it.support.Accounts.Person;
import org.parley.it.support.Api;
import org.parley.it.support.Bookings;
import org.parley.it.support.Db;
import org.parley.it.support.Eventually;
import org.parley.it.support.Live;
import org.parley.it.support.Money;
import org.parley.it.support.Orders;
import org.parley.it.support.Razorpay;
import org.parley.it.support.SystemTest;

import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The unknown outcome, for every money-moving request that takes an {@code Idempotency-Key}: the client gives up
 * before Parley answers (it never learns whether anything happened) and retries with the same key while the first
 * request is still running. The retry waits for the first to finish and answers its result; a later retry answers it
 * again; the effect happened once. The first request is held up for real: by a row lock this test holds on the account
 * the request must write (released once the retry is seen waiting), or by the gateway answering slowly.
 */
class UnknownOutcomeIT extends SystemTest {

    private static final Duration PATIENCE = Duration.ofMillis(800);
    private String admin;

    @BeforeEach
    void signIn() {
        admin = Accounts.admin(api);
    }

    /** What the retries answered. */
    private record Retried(Api.Resp waiting, Api.Resp later) {
    }

    /**
     * Sends {@code body} to {@code path} as {@code token} with one key three times: first from a client that gives up
     * after {@link #PATIENCE} while {@code blocker} holds the request up; then a retry, seen waiting in the database
     * behind the first before {@code blocker} is released; then once more after both finished.
     */
    private Retried giveUpThenRetry(String path, String token, Object body, AutoCloseable blocker) throws Exception {
        String key = Money.key();
        long waitingBefore = lockWaiters();
        try (blocker) {
            AssertionError gaveUp = assertThrows(AssertionError.class,
                    () -> Money.postIdempotent(api.impatient(PATIENCE), path, token, key, body));
            assertInstanceOf(HttpTimeoutException.class, gaveUp.getCause(), "the client never saw the first answer");
            CompletableFuture<Api.Resp> retry = CompletableFuture.supplyAsync(() -> Money.postIdempotent(api, path, token, key, body));
            // the retry queues behind the first request's uncommitted key (one more backend waiting on a lock)
            Eventually.until(Duration.ofSeconds(10), UnknownOutcomeIT::lockWaiters, n -> n >= waitingBefore + 1 + blockedByRowLock(blocker),
                    "the retry waiting behind the first request");
            assertFalse(retry.isDone(), "no answer while the first request is still running");
            blocker.close();
            Api.Resp waited = retry.get(30, TimeUnit.SECONDS);
            return new Retried(waited, Money.postIdempotent(api, path, token, key, body));
        }
    }

    /** A row lock blocks the first request too (one more waiter); the gateway's slowness does not. */
    private static int blockedByRowLock(AutoCloseable blocker) {
        return blocker instanceof RowLock ? 1 : 0;
    }

    /** Backends of the Parley database waiting on a lock now. */
    private static long lockWaiters() {
        return Db.count("select count(*) from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'");
    }

    /** Holds the ledger account row {@code kind} of {@code owner} locked until closed. */
    private record RowLock(AutoCloseable lock) implements AutoCloseable {
        static RowLock on(String owner, String kind) {
            return new RowLock(Db.lock("select 1 from ledger_account where owner_id = ?::uuid and kind = ? for update", owner, kind));
        }

        @Override
        public void close() throws Exception {
            lock.close();
        }
    }

    private static void assertSameFirstResult(int status, Retried r) {
        assertEquals(status, r.waiting().status(), r.waiting()::toString);
        assertEquals(r.waiting().json(), r.later().json(), "a later retry answers the same first result");
    }

    @Test
    void aDepositWhoseClientGaveUpWhileTheGatewayWasSlowIsCreatedOnceAndTheRetryGetsIt() throws Exception {
        Person user = Accounts.user(api);
        long amount = 31_337;
        Razorpay.server().stubFor(post(urlEqualTo("/v1/orders")).withRequestBody(matchingJsonPath("$.amount", equalTo(Long.toString(amount))))
                .willReturn(aResponse().withFixedDelay(2_500).withHeader("Content-Type", "application/json")
                        .withBody("{\"id\":\"order_slow31337\",\"entity\":\"order\",\"amount\":" + amount + ",\"currency\":\"INR\",\"status\":\"created\"}")));
        Retried r = giveUpThenRetry("/wallet/deposits", user.token(), Map.of("amount", amount, "gateway", "razorpay"), () -> { });
        assertSameFirstResult(201, r);
        assertEquals(1, Db.count("select count(*) from deposit where account_id = ?::uuid", user.id()), "one deposit");
        assertEquals(r.waiting().json().get("id").asText(), Db.string("select id::text from deposit where account_id = ?::uuid", user.id()));
        assertEquals(1, Razorpay.server().countRequestsMatching(postRequestedFor(urlEqualTo("/v1/orders"))
                .withRequestBody(matchingJsonPath("$.amount", equalTo(Long.toString(amount)))).build()).getCount(), "one gateway order");
    }

    @Test
    void anAdjustmentWhoseClientGaveUpIsAppliedOnceAndTheRetryGetsIt() throws Exception {
        Person user = Accounts.user(api);
        Money.fund(api, admin, user.id(), "WALLET", 1_000);
        Retried r = giveUpThenRetry("/admin/wallets/" + user.id() + "/adjustments", admin,
                Map.of("amount", 2_500, "reason", "goodwill", "account", "WALLET"), RowLock.on(user.id(), "WALLET"));
        assertSameFirstResult(201, r);
        assertEquals(3_500, Money.walletBalance(api, user.token()));
        assertEquals(2, Db.count("select count(*) from ledger_transfer t join ledger_account a on a.id = t.to_account"
                + " where a.owner_id = ?::uuid and t.kind = 'ADJUSTMENT'", user.id()), "the funding and this one");
    }

    @Test
    void aPayoutRequestWhoseClientGaveUpIsMadeOnceAndTheRetryGetsIt() throws Exception {
        Person expert = Bookings.expert(api, admin, 100);
        Money.fund(api, admin, expert.id(), "EARNINGS_AVAILABLE", 90_000);
        Retried r = giveUpThenRetry("/payouts", expert.token(), Map.of("amount", 60_000), RowLock.on(expert.id(), "EARNINGS_AVAILABLE"));
        assertSameFirstResult(201, r);
        assertEquals("REQUESTED", r.waiting().json().get("status").asText());
        assertEquals(1, Db.count("select count(*) from payout where expert_id = ?::uuid", expert.id()), "one payout");
        assertEquals(30_000, Bookings.balance(expert.id(), "EARNINGS_AVAILABLE"));
    }

    @Test
    void aSessionRefundWhoseClientGaveUpIsPaidOnceAndTheRetryGetsIt() throws Exception {
        Live.Ended chat = Live.endedChat(api, admin, 10_000, 1_000);
        Person user = chat.user();
        String session = chat.sessionId();
        long afterSession = Money.walletBalance(api, user.token());
        Retried r = giveUpThenRetry("/admin/sessions/" + session + "/refund", admin, Map.of("amount", 400, "reason", "dropped call"),
                RowLock.on(user.id(), "WALLET"));
        assertSameFirstResult(200, r);
        assertEquals(afterSession + 400, Money.walletBalance(api, user.token()), "refunded once");
        assertEquals(1, Db.count("select count(*) from ledger_transfer where kind = 'REFUND' and reference = ?", session + ":refund:400"),
                "one refund to the wallet");
    }

    @Test
    void aRefundToThePaymentSourceWhoseClientGaveUpIsAskedOnceAndTheRetryGetsIt() throws Exception {
        Person user = Accounts.user(api);
        JsonNode paid = Money.paidDeposit(api, user, 20_000, null);
        String deposit = paid.get("id").asText();
        String paymentId = Db.string("select gateway_payment_id from deposit where id = ?::uuid", deposit);
        Razorpay.server().stubFor(get(urlEqualTo("/v1/payments/" + paymentId + "/refunds"))
                .willReturn(okJson("{\"items\":[]}")));
        Razorpay.server().stubFor(post(urlEqualTo("/v1/payments/" + paymentId + "/refund"))
                .willReturn(okJson("{\"id\":\"rfnd_" + paymentId + "\",\"entity\":\"refund\",\"status\":\"processed\"}")));
        Retried r = giveUpThenRetry("/admin/deposits/" + deposit + "/refund", admin, Map.of("amount", 5_000, "reason", "asked"),
                RowLock.on(user.id(), "WALLET"));
        assertSameFirstResult(202, r);
        assertEquals(1, Db.count("select count(*) from deposit_refund where deposit_id = ?::uuid", deposit), "one refund");
        Eventually.until(Duration.ofSeconds(20), () -> Db.string("select status from deposit_refund where deposit_id = ?::uuid", deposit),
                "PROCESSED"::equals, "the refund processed");
        assertEquals(15_000, Money.walletBalance(api, user.token()));
        assertEquals(1, Razorpay.server().countRequestsMatching(postRequestedFor(urlEqualTo("/v1/payments/" + paymentId + "/refund")).build())
                .getCount(), "the gateway asked once");
    }

    @Test
    void aBookingWhoseClientGaveUpIsHeldOnceAndTheRetryGetsIt() throws Exception {
        Bookings.config(api, admin, Bookings.DEFAULTS);
        Person expert = Bookings.expert(api, admin, 100);
        Person user = Bookings.user(api, admin, 50_000);
        Instant start = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.HOURS).plus(Duration.ofHours(3));
        Bookings.window(api, expert, start, Duration.ofHours(1));
        Retried r = giveUpThenRetry("/bookings", user.token(), Map.of("expertId", expert.id(), "startsAt", start.toString(),
                "minutes", 30, "channel", "CHAT"), RowLock.on(user.id(), "WALLET"));
        assertSameFirstResult(201, r);
        assertEquals(1, Db.count("select count(*) from booking where user_id = ?::uuid", user.id()), "one booking");
        assertEquals(50_000 - 3_000, Money.walletBalance(api, user.token()), "held once");
    }

    @Test
    void anOrderWhoseClientGaveUpIsPaidOnceAndTheRetryGetsIt() throws Exception {
        Person user = Accounts.user(api);
        Money.fund(api, admin, user.id(), "WALLET", 20_000);
        String service = Orders.service(api, admin, 7_500, 2).get("id").asText();
        Retried r = giveUpThenRetry("/orders", user.token(), Map.of("serviceId", service, "formData", Orders.answers()),
                RowLock.on(user.id(), "WALLET"));
        assertSameFirstResult(201, r);
        assertEquals(1, Db.count("select count(*) from report_order where user_id = ?::uuid", user.id()), "one order");
        assertEquals(12_500, Money.walletBalance(api, user.token()), "paid once");
    }
}
