package org.parley.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.parley.it.support.Accounts;
import org.parley.it.support.Accounts.Person;
import org.parley.it.support.Api;
import org.parley.it.support.Bookings;
import org.parley.it.support.Concurrently;
import org.parley.it.support.Db;
import org.parley.it.support.Money;
import org.parley.it.support.SystemTest;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.parley.it.support.Problems.assertFieldError;
import static org.parley.it.support.Problems.assertProblem;

/**
 * Bookings over HTTP against the deployed EAR, with a 1 s billing period so a booked "minute" is a second: the hold,
 * the race-proof slot, decisions, expiry, rescheduling and the cancellation policy, each money movement to the paisa.
 */
class BookingIT extends SystemTest {

    private static final long RATE = 1_000;
    private String admin;

    @BeforeEach
    void fastBookings() {
        admin = Accounts.admin(api);
        Bookings.fast(api, admin, 3);
    }

    @AfterEach
    void defaults() {
        Bookings.config(api, admin, Bookings.DEFAULTS);
    }

    private long bookingHoldTransfers(String expertId) {
        return Db.count("select count(*) from ledger_transfer t join booking b on t.reference = 'booking:' || b.id"
                + " where t.kind = 'BOOKING_HOLD' and b.expert_id = ?::uuid", expertId);
    }

    @Test
    void aRequestHoldsMinutesTimesRateFromTheWalletAtOnceAndARejectionGivesItAllBack() {
        Person expert = Bookings.expert(api, admin, RATE);
        Person user = Bookings.user(api, admin, 100_000);
        Instant start = Bookings.in(120);
        Bookings.window(api, expert, start, Duration.ofSeconds(60));
        JsonNode b = Bookings.book(api, user, expert, start, 30);
        assertEquals("PENDING", b.get("status").asText());
        assertEquals(start, Instant.parse(b.get("startsAt").asText()));
        assertEquals(start.plusSeconds(30), Instant.parse(b.get("endsAt").asText()), "30 minutes of a 1 s period");
        assertEquals(30 * RATE, b.get("holdAmount").asLong());
        assertEquals(RATE, b.get("ratePerMinute").asLong());
        assertEquals(100_000 - 30 * RATE, Money.walletBalance(api, user.token()));
        assertEquals(1, bookingHoldTransfers(expert.id()));
        Bookings.ledgerBalanced(api, admin);

        Api.Resp rejected = api.put("/bookings/" + b.get("id").asText() + "/decision", expert.token(),
                Map.of("decision", "REJECT", "reason", "travelling"));
        assertEquals(200, rejected.status(), rejected::toString);
        assertEquals("REJECTED", rejected.json().get("status").asText());
        assertEquals(30 * RATE, rejected.json().get("released").asLong());
        assertEquals(100_000, Money.walletBalance(api, user.token()));
        assertEquals(1, Db.count("select count(*) from audit_entry where entity_id = ? and action = 'BOOKING_REJECTED'", b.get("id").asText()));
        // the slot is free again
        Bookings.book(api, Bookings.user(api, admin, 100_000), expert, start, 30);
    }

    @Test
    void thirtyConcurrentRequestsForOneSlotMakeExactlyOneBookingAndOneHold() throws Exception {
        Person expert = Bookings.expert(api, admin, RATE);
        Instant start = Bookings.in(120);
        Bookings.window(api, expert, start, Duration.ofSeconds(15));
        List<Person> users = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            users.add(Bookings.user(api, admin, 20_000));
        }
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        List<Api.Resp> answers = Concurrently.run(30, () -> Bookings.request(new Api(), users.get(next.getAndIncrement()), expert, start, 15));
        assertEquals(1, answers.stream().filter(r -> r.status() == 201).count(), answers::toString);
        answers.stream().filter(r -> r.status() != 201).forEach(r -> assertProblem(r, 409, "slot-taken"));
        assertEquals(1, Db.count("select count(*) from booking where expert_id = ?::uuid", expert.id()));
        assertEquals(1, bookingHoldTransfers(expert.id()));
        assertEquals(1, users.stream().filter(u -> Money.walletBalance(api, u.token()) == 20_000 - 15 * RATE).count());
        assertEquals(29, users.stream().filter(u -> Money.walletBalance(api, u.token()) == 20_000).count());
    }

    @Test
    void partialOverlapAndContainmentAreRefusedAndBackToBackIsAllowedForTheExpertAndTheUser() {
        Person expert = Bookings.expert(api, admin, RATE);
        Instant t = Bookings.in(120);
        Bookings.window(api, expert, t, Duration.ofSeconds(90));
        Bookings.book(api, Bookings.user(api, admin, 100_000), expert, t.plusSeconds(15), 30);            // [15, 45)
        assertProblem(Bookings.request(api, Bookings.user(api, admin, 100_000), expert, t.plusSeconds(30), 30), 409, "slot-taken");
        assertProblem(Bookings.request(api, Bookings.user(api, admin, 100_000), expert, t.plusSeconds(15), 15), 409, "slot-taken");
        assertProblem(Bookings.request(api, Bookings.user(api, admin, 100_000), expert, t, 60), 409, "slot-taken");
        Bookings.book(api, Bookings.user(api, admin, 100_000), expert, t, 15);                           // [0, 15)
        Bookings.book(api, Bookings.user(api, admin, 100_000), expert, t.plusSeconds(45), 15);           // [45, 60)

        Person user = Bookings.user(api, admin, 100_000);
        Person other = Bookings.expert(api, admin, RATE);
        Bookings.window(api, other, t, Duration.ofSeconds(90));
        Bookings.book(api, user, expert, t.plusSeconds(60), 15);                                         // [60, 75)
        assertProblem(Bookings.request(api, user, other, t.plusSeconds(60), 30), 409, "overlapping-booking");
        Bookings.book(api, user, other, t.plusSeconds(75), 15);                                          // back to back for the user
        assertEquals(100_000 - 30 * RATE, Money.walletBalance(api, user.token()));
    }

    @Test
    void theDatabaseItselfRefusesTwoOverlappingStandingBookingsOfOneExpert() {
        Person expert = Bookings.expert(api, admin, RATE);
        Instant t = Bookings.in(120);
        Bookings.window(api, expert, t, Duration.ofSeconds(30));
        JsonNode b = Bookings.book(api, Bookings.user(api, admin, 100_000), expert, t, 30);
        Person other = Bookings.user(api, admin, 0);
        SQLException refused = assertThrows(SQLException.class, () -> Db.execChecked("""
                insert into booking (id, user_id, expert_id, channel, status, starts_at, ends_at, minutes, unit_seconds, rate_per_minute,
                                     hold_amount, no_show_at, created_at, updated_at)
                values (gen_random_uuid(), ?::uuid, ?::uuid, 'CHAT', 'PENDING', ?::timestamptz + interval '15 seconds',
                        ?::timestamptz + interval '30 seconds', 15, 1, 1, 15, now(), now(), now())""", other.id(), expert.id(), t.toString(), t.toString()));
        assertEquals("23P01", refused.getSQLState(), refused::getMessage);
        assertTrue(refused.getMessage().contains("booking_expert_no_overlap"), refused::getMessage);
        // once it no longer stands, the time is free at the database too
        assertEquals(200, api.post("/bookings/" + b.get("id").asText() + "/cancel", expert.token(), Map.of()).status());
        Bookings.book(api, Bookings.user(api, admin, 100_000), expert, t, 15);
    }

    @Test
    void badRequestsAreProblemsThatChangeNothing() {
        Person expert = Bookings.expert(api, admin, RATE);
        Person user = Bookings.user(api, admin, 10_000);
        Instant t = Bookings.in(120);
        Bookings.window(api, expert, t, Duration.ofSeconds(60));
        String key = Money.key();
        assertProblem(Money.postIdempotent(api, "/bookings", user.token(), key, Map.of("expertId", expert.id(), "startsAt", "tomorrow at six",
                "minutes", 15, "channel", "CHAT")), 400, null);
        assertFieldError(assertProblem(Bookings.request(api, user, expert, t, 20), 400, null), "minutes");
        assertFieldError(assertProblem(Bookings.request(api, user, expert, t, 0), 400, null), "minutes");
        assertFieldError(assertProblem(Bookings.request(api, user, expert, t, 135), 400, null), "minutes");
        JsonNode offGrid = assertProblem(Bookings.request(api, user, expert, t.plusSeconds(5), 15), 422, "outside-availability");
        assertTrue(offGrid.get("detail").asText().contains("grid"), offGrid::toString);
        assertProblem(Bookings.request(api, user, expert, t.plusSeconds(120), 15), 422, "outside-availability");
        JsonNode past = assertProblem(Bookings.request(api, user, expert, Instant.now().minusSeconds(3600), 15), 422, "outside-availability");
        assertTrue(past.get("detail").asText().contains("earliest"), past::toString);
        assertProblem(Money.postIdempotent(api, "/bookings", user.token(), Money.key(), Map.of("expertId", expert.id(),
                "startsAt", t.toString(), "minutes", 15, "channel", "VIDEO")), 422, "channel-not-offered");
        assertProblem(Money.postIdempotent(api, "/bookings", user.token(), Money.key(), Map.of("expertId", UUID.randomUUID().toString(),
                "startsAt", t.toString(), "minutes", 15, "channel", "CHAT")), 404, "not-found");
        assertProblem(Money.postIdempotent(api, "/bookings", user.token(), null, Map.of("expertId", expert.id(),
                "startsAt", t.toString(), "minutes", 15, "channel", "CHAT")), 400, null);
        assertProblem(Bookings.request(api, Bookings.expert(api, admin, RATE), expert, t, 15), 403, null);
        assertProblem(Bookings.request(api, user, expert, t, 15), 422, "insufficient-balance");        // 15,000 > 10,000
        assertEquals(10_000, Money.walletBalance(api, user.token()));
        assertEquals(0, Db.count("select count(*) from booking where expert_id = ?::uuid", expert.id()));
    }

    @Test
    void onlyTheBookedExpertDecidesOnceAndStrangersSeeNothing() {
        Person expert = Bookings.expert(api, admin, RATE);
        Person user = Bookings.user(api, admin, 100_000);
        Person stranger = Bookings.user(api, admin, 0);
        Instant t = Bookings.in(120);
        Bookings.window(api, expert, t, Duration.ofSeconds(15));
        String id = Bookings.book(api, user, expert, t, 15).get("id").asText();
        assertProblem(api.put("/bookings/" + id + "/decision", user.token(), Map.of("decision", "ACCEPT")), 403, null);
        assertProblem(api.put("/bookings/" + id + "/decision", stranger.token(), Map.of("decision", "ACCEPT")), 404, "not-found");
        assertProblem(api.put("/bookings/" + id + "/decision", Bookings.expert(api, admin, RATE).token(), Map.of("decision", "ACCEPT")), 404, "not-found");
        assertProblem(api.put("/bookings/" + id + "/decision", expert.token(), Map.of("decision", "MAYBE")), 400, null);
        assertProblem(api.get("/bookings/" + id, stranger.token()), 404, "not-found");
        assertProblem(api.post("/bookings/" + id + "/cancel", stranger.token(), Map.of()), 404, "not-found");
        assertProblem(api.get("/bookings/" + UUID.randomUUID(), user.token()), 404, "not-found");
        assertProblem(api.get("/bookings/not-a-uuid", user.token()), 400, null);
        assertEquals("ACCEPTED", Bookings.decide(api, expert, id, "ACCEPT").get("status").asText());
        assertProblem(api.put("/bookings/" + id + "/decision", expert.token(), Map.of("decision", "REJECT")), 409, "illegal-booking-state");
        assertEquals("ACCEPTED", Bookings.get(api, admin, id).get("status").asText(), "an admin reads any booking");
        assertEquals(1, api.get("/bookings?role=expert&status=ACCEPTED", expert.token()).json().get("total").asInt());
        assertEquals(1, api.get("/bookings?role=user", user.token()).json().get("total").asInt());
        assertEquals(0, api.get("/bookings?role=user", stranger.token()).json().get("total").asInt());
        assertEquals(100_000 - 15 * RATE, Money.walletBalance(api, user.token()));
    }

    @Test
    void anUndecidedRequestExpiresAtItsStartAndItsHoldComesBack() {
        Person expert = Bookings.expert(api, admin, RATE);
        Person user = Bookings.user(api, admin, 50_000);
        Instant t = Bookings.in(3);
        Bookings.window(api, expert, t, Duration.ofSeconds(15));
        String id = Bookings.book(api, user, expert, t, 15).get("id").asText();
        JsonNode expired = Bookings.awaitStatus(api, user.token(), id, "EXPIRED", Duration.ofSeconds(20));
        assertTrue(!Instant.now().isBefore(t));
        assertEquals(15 * RATE, expired.get("released").asLong());
        assertEquals(50_000, Money.walletBalance(api, user.token()));
        assertProblem(api.put("/bookings/" + id + "/decision", expert.token(), Map.of("decision", "ACCEPT")), 409, "illegal-booking-state");
        assertEquals(1, Db.count("select count(*) from audit_entry where entity_id = ? and action = 'BOOKING_EXPIRED'", id));
    }

    @Test
    void theUserReschedulesToAnotherFreeStartAndTheBookingIsPendingAgainWithTheSameHold() {
        Person expert = Bookings.expert(api, admin, RATE);
        Person user = Bookings.user(api, admin, 100_000);
        Instant t = Bookings.in(120);
        Bookings.window(api, expert, t, Duration.ofSeconds(60));
        String id = Bookings.book(api, user, expert, t, 15).get("id").asText();
        Bookings.book(api, Bookings.user(api, admin, 100_000), expert, t.plusSeconds(45), 15);
        Bookings.decide(api, expert, id, "ACCEPT");
        assertProblem(api.post("/bookings/" + id + "/reschedule", user.token(), Map.of("startsAt", t.plusSeconds(45).toString())), 409, "slot-taken");
        assertProblem(api.post("/bookings/" + id + "/reschedule", user.token(), Map.of("startsAt", t.plusSeconds(7).toString())), 422,
                "outside-availability");
        assertProblem(api.post("/bookings/" + id + "/reschedule", expert.token(), Map.of("startsAt", t.plusSeconds(30).toString())), 403, null);
        assertEquals("ACCEPTED", Bookings.get(api, user.token(), id).get("status").asText(), "refused moves change nothing");

        Api.Resp moved = api.post("/bookings/" + id + "/reschedule", user.token(), Map.of("startsAt", t.plusSeconds(30).toString()));
        assertEquals(200, moved.status(), moved::toString);
        assertEquals("PENDING", moved.json().get("status").asText());
        assertEquals(t.plusSeconds(30), Instant.parse(moved.json().get("startsAt").asText()));
        assertEquals(t.plusSeconds(45), Instant.parse(moved.json().get("endsAt").asText()));
        assertEquals(15 * RATE, moved.json().get("holdAmount").asLong());
        assertEquals(100_000 - 15 * RATE, Money.walletBalance(api, user.token()));
        // its old time is free for someone else
        Bookings.book(api, Bookings.user(api, admin, 100_000), expert, t, 15);
        assertEquals(1, Db.count("select count(*) from audit_entry where entity_id = ? and action = 'BOOKING_RESCHEDULED'", id));
        assertEquals(200, api.post("/bookings/" + id + "/cancel", user.token(), Map.of()).status());
        assertProblem(api.post("/bookings/" + id + "/reschedule", user.token(), Map.of("startsAt", t.plusSeconds(15).toString())), 409,
                "illegal-booking-state");
    }

    @Test
    void theUserCancellingEarlyOrAPendingBookingGetsEverythingBackAndASecondCancelIs409() {
        Person expert = Bookings.expert(api, admin, RATE);
        Person user = Bookings.user(api, admin, 100_000);
        Instant pendingAt = Bookings.in(60);
        Bookings.window(api, expert, pendingAt, Duration.ofSeconds(15));
        String pending = Bookings.book(api, user, expert, pendingAt, 15).get("id").asText();
        // 1,500 "minutes" ahead is more than the 24 "hours" (1,440) of notice
        JsonNode early = Bookings.accepted(api, user, expert, Bookings.in(1_500), 15);
        assertEquals(100_000 - 30 * RATE, Money.walletBalance(api, user.token()));

        JsonNode c1 = api.post("/bookings/" + pending + "/cancel", user.token(), Map.of("reason", "changed my mind")).json();
        assertEquals("CANCELLED", c1.get("status").asText());
        assertEquals("USER", c1.get("cancelledBy").asText());
        assertEquals(15 * RATE, c1.get("released").asLong());
        Api.Resp noBody = api.post("/bookings/" + early.get("id").asText() + "/cancel", user.token(), null);
        assertEquals(200, noBody.status(), noBody::toString);
        JsonNode c2 = noBody.json();
        assertEquals(15 * RATE, c2.get("released").asLong(), c2::toString);
        assertEquals(0, c2.get("charged").asLong());
        assertEquals(100_000, Money.walletBalance(api, user.token()));
        assertProblem(api.post("/bookings/" + pending + "/cancel", user.token(), Map.of()), 409, "illegal-booking-state");
        assertEquals(100_000, Money.walletBalance(api, user.token()));
    }

    @Test
    void theUserCancellingLateLeavesTheFeeToTheExpertLessThePlatformsShareAndTheExpertCancellingLateReleasesAll() {
        Person expert = Bookings.expert(api, admin, RATE);
        Person user = Bookings.user(api, admin, 100_000);
        JsonNode late = Bookings.accepted(api, user, expert, Bookings.in(60), 15);      // 15,000 held, 60 s < 1,440 s notice
        JsonNode cancelled = api.post("/bookings/" + late.get("id").asText() + "/cancel", user.token(), Map.of()).json();
        // 50 % of 15,000 = 7,500 kept: the platform's 20 % = 1,500, the expert's 6,000; 7,500 back
        assertEquals(7_500, cancelled.get("charged").asLong(), cancelled::toString);
        assertEquals(7_500, cancelled.get("released").asLong());
        assertEquals(100_000 - 7_500, Money.walletBalance(api, user.token()));
        assertEquals(6_000, Bookings.balance(expert.id(), "EARNINGS_PENDING"));
        JsonNode record = api.get("/sessions/" + cancelled.get("sessionId").asText(), user.token()).json();
        assertEquals("late-cancellation", record.get("endReason").asText());
        assertEquals(7_500, record.get("amountCharged").asLong());
        assertEquals(late.get("id").asText(), record.get("bookingId").asText());
        assertEquals(6_000, Db.count("select amount from ledger_transfer where kind = 'SESSION_EARNING' and reference = ?",
                cancelled.get("sessionId").asText()));
        assertEquals(1_500, Db.count("select amount from ledger_transfer where kind = 'PLATFORM_FEE' and reference = ?",
                cancelled.get("sessionId").asText()));
        Bookings.ledgerBalanced(api, admin);

        JsonNode byExpert = Bookings.accepted(api, user, expert, Bookings.in(90), 15);
        JsonNode c = api.post("/bookings/" + byExpert.get("id").asText() + "/cancel", expert.token(), Map.of("reason", "unwell")).json();
        assertEquals("EXPERT", c.get("cancelledBy").asText());
        assertEquals(15 * RATE, c.get("released").asLong());
        assertEquals(0, c.get("charged").asLong());
        assertNull(c.get("sessionId").textValue());
        assertEquals(100_000 - 7_500, Money.walletBalance(api, user.token()));
        assertEquals(6_000, Bookings.balance(expert.id(), "EARNINGS_PENDING"));
    }

    @Test
    void aBookingThatHasStartedCanNoLongerBeCancelledOrMoved() {
        Person expert = Bookings.expert(api, admin, RATE);
        Person user = Bookings.user(api, admin, 100_000);
        Instant t = Bookings.in(2);
        String id = Bookings.accepted(api, user, expert, t, 30).get("id").asText();
        org.parley.it.support.Eventually.until(Duration.ofSeconds(10), Instant::now, now -> now.isAfter(t.plusMillis(200)), "the start");
        assertProblem(api.post("/bookings/" + id + "/cancel", user.token(), Map.of()), 409, "booking-started");
        assertProblem(api.post("/bookings/" + id + "/cancel", expert.token(), Map.of()), 409, "booking-started");
        assertProblem(api.post("/bookings/" + id + "/reschedule", user.token(), Map.of("startsAt", t.plusSeconds(60).toString())), 409,
                "booking-started");
        assertEquals(100_000 - 30 * RATE, Money.walletBalance(api, user.token()));
    }
}
