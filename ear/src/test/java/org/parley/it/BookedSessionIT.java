package org.parley.it;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import net.fortuna.ical4j.data.CalendarBuilder;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.component.VEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.parley.it.support.Accounts;
import org.parley.it.support.Accounts.Person;
import org.parley.it.support.Bookings;
import org.parley.it.support.Db;
import org.parley.it.support.Eventually;
import org.parley.it.support.LiveClient;
import org.parley.it.support.Money;
import org.parley.it.support.SystemTest;
import org.parley.it.support.TestEnvironment;

import java.io.StringReader;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.parley.it.support.Problems.assertProblem;

/**
 * Bookings at their time, against the deployed EAR with a 1 s period: joining over /ws/live into a session paid from
 * the hold, both no-shows decided by the timer, reminders once each, and the iCalendar invitations (GreenMail as the
 * SMTP peer, parsed back with ical4j).
 */
class BookedSessionIT extends SystemTest {

    private static final long RATE = 1_000;
    private static final Duration WAIT = Duration.ofSeconds(30);
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

    @Test
    void bothJoinAndTheSessionIsPaidFromTheHoldEndsAtTheBookingsEndAndCompletesItWithEarnings() {
        Person expert = Bookings.expert(api, admin, RATE);
        Person user = Bookings.user(api, admin, 50_000);
        Instant start = Bookings.in(2);
        String id = Bookings.accepted(api, user, expert, start, 15).get("id").asText();
        Instant endsAt = start.plusSeconds(15);
        try (LiveClient u = LiveClient.connect(user.token()); LiveClient e = LiveClient.connect(expert.token())) {
            // sockets are registered after the handshake, off the I/O thread: the expert's must be before the user's arrival is told
            org.parley.it.support.Eventually.until(Duration.ofSeconds(10), () -> Db.count("select coalesce(sum(sockets), 0) from socket_presence"
                    + " where account_id = ?::uuid", expert.id()), n -> n >= 1, "the expert's socket registered");
            u.send(Map.of("type", "join-booking", "bookingId", id));
            JsonNode joined = e.await("booking-joined", f -> id.equals(f.path("bookingId").asText()), Duration.ofSeconds(10));
            assertEquals(user.id(), joined.get("accountId").asText());
            assertTrue(Bookings.get(api, user.token(), id).hasNonNull("userJoinedAt"), "the user's arrival is recorded");
            e.send(Map.of("type", "join-booking", "bookingId", id));
            JsonNode started = u.await("session-started", f -> id.equals(f.path("bookingId").asText()), Duration.ofSeconds(10));
            e.await("session-started", f -> id.equals(f.path("bookingId").asText()), Duration.ofSeconds(10));
            String sessionId = started.get("sessionId").asText();
            assertEquals(endsAt, Instant.parse(started.get("endsAt").asText()));
            assertEquals(50_000 - 15 * RATE, Money.walletBalance(api, user.token()), "the wallet paid once, at booking");
            assertEquals(0, Db.count("select count(*) from session_charge where session_id = ?::uuid", sessionId), "no minute charged to the wallet");

            JsonNode ended = u.await("session-ended", f -> sessionId.equals(f.path("sessionId").asText()), WAIT);
            assertEquals("max-duration", ended.get("reason").asText());
            assertTrue(!Instant.now().isBefore(endsAt), "ended at the booking's end");
            assertEquals(15 * RATE, ended.get("amountCharged").asLong());
            assertEquals(15, ended.get("minutesBilled").asInt());
            JsonNode booking = Bookings.awaitStatus(api, user.token(), id, "COMPLETED", Duration.ofSeconds(5));
            assertEquals(sessionId, booking.get("sessionId").asText());
            assertEquals(15 * RATE, booking.get("charged").asLong());
            assertEquals(50_000 - 15 * RATE, Money.walletBalance(api, user.token()));
            assertEquals(15 * RATE - 3_000, Bookings.balance(expert.id(), "EARNINGS_PENDING"), "the hold less the platform's 20 %");
            assertEquals(1, Db.count("select count(*) from audit_entry where entity_id = ? and action = 'BOOKING_COMPLETED'", id));
            Bookings.ledgerBalanced(api, admin);
        }
    }

    @Test
    void joiningIsRefusedTooEarlyForAPendingBookingAndForStrangers() {
        Person expert = Bookings.expert(api, admin, RATE);
        Person user = Bookings.user(api, admin, 50_000);
        Instant later = Bookings.in(60);
        String accepted = Bookings.accepted(api, user, expert, later, 15).get("id").asText();
        assertProblem(api.post("/bookings/" + accepted + "/join", user.token(), null), 409, "too-early");
        Instant soon = Bookings.in(20);
        Bookings.window(api, expert, soon, Duration.ofSeconds(15));
        String pending = Bookings.book(api, Bookings.user(api, admin, 50_000), expert, soon, 15).get("id").asText();
        assertProblem(api.post("/bookings/" + pending + "/join", expert.token(), null), 409, "booking-not-joinable");
        assertProblem(api.post("/bookings/" + accepted + "/join", Bookings.user(api, admin, 0).token(), null), 404, "not-found");
        try (LiveClient stranger = LiveClient.connect(Bookings.user(api, admin, 0).token())) {
            stranger.send(Map.of("type", "join-booking", "bookingId", accepted));
            assertEquals("not-found", stranger.await("error").get("code").asText());
        }
        JsonNode b = Bookings.get(api, user.token(), accepted);
        assertTrue(b.get("userJoinedAt").isNull() && b.get("expertJoinedAt").isNull(), b::toString);
    }

    @Test
    void theExpertAbsentAtTheNoShowDeadlineGivesTheUserTheWholeHoldBack() {
        Person expert = Bookings.expert(api, admin, RATE);
        Person user = Bookings.user(api, admin, 50_000);
        Instant start = Bookings.in(2);
        String id = Bookings.accepted(api, user, expert, start, 15).get("id").asText();
        Eventually.until(Duration.ofSeconds(10), () -> api.post("/bookings/" + id + "/join", user.token(), null),
                r -> r.status() == 200, "the user joins");
        JsonNode b = Bookings.awaitStatus(api, user.token(), id, "NO_SHOW_EXPERT", WAIT);
        assertTrue(!Instant.now().isBefore(start.plusSeconds(3)), "decided no earlier than the deadline");
        assertEquals(15 * RATE, b.get("released").asLong());
        assertEquals(50_000, Money.walletBalance(api, user.token()));
        assertEquals(0, Bookings.balance(expert.id(), "EARNINGS_PENDING"));
        assertProblem(api.post("/bookings/" + id + "/join", expert.token(), null), 409, "booking-not-joinable");
        assertEquals(1, Db.count("select count(*) from audit_entry where entity_id = ? and action = 'BOOKING_NO_SHOW_EXPERT'", id));
    }

    @Test
    void theUserAbsentAtTheNoShowDeadlinePaysTheExpertTheHoldLessThePlatformFee() {
        Person expert = Bookings.expert(api, admin, RATE);
        Person user = Bookings.user(api, admin, 50_000);
        Instant start = Bookings.in(2);
        String id = Bookings.accepted(api, user, expert, start, 15).get("id").asText();
        Eventually.until(Duration.ofSeconds(10), () -> api.post("/bookings/" + id + "/join", expert.token(), null),
                r -> r.status() == 200, "the expert joins");
        JsonNode b = Bookings.awaitStatus(api, user.token(), id, "NO_SHOW_USER", WAIT);
        assertEquals(15 * RATE, b.get("charged").asLong());
        assertEquals(0, b.get("released").asLong());
        assertEquals(50_000 - 15 * RATE, Money.walletBalance(api, user.token()));
        assertEquals(15 * RATE - 3_000, Bookings.balance(expert.id(), "EARNINGS_PENDING"));
        JsonNode record = api.get("/sessions/" + b.get("sessionId").asText(), expert.token()).json();
        assertEquals("no-show-user", record.get("endReason").asText());
        assertEquals("ENDED", record.get("status").asText());
        Bookings.ledgerBalanced(api, admin);
    }

    @Test
    void remindersGoOutOnceToBothSidesInAppAndByEmailAndOnlyThoseStillAhead() {
        Person expert = Bookings.expert(api, admin, RATE);
        Person user = Bookings.user(api, admin, 100_000);
        // the 24 "hour" reminder of a booking 1,460 s ahead is due in 20 s; its 15 "minute" one much later
        String day = Bookings.accepted(api, user, expert, Bookings.in(1_460), 15).get("id").asText();
        // the 15 "minute" reminder of a booking 25 s ahead is due in 10 s; its 24 "hour" one had passed when it was made
        String soon = Bookings.accepted(api, user, expert, Bookings.in(25), 15).get("id").asText();
        assertEquals(1, Db.count("select count(*) from booking_reminder where booking_id = ?::uuid", soon));
        assertEquals(2, Db.count("select count(*) from booking_reminder where booking_id = ?::uuid", day));

        String inApp = "select count(*) from notification where account_id = ?::uuid and channel = ? and kind = 'booking-reminder' and dedupe_key like ?";
        for (Person p : List.of(user, expert)) {
            Eventually.until(WAIT, () -> Db.count(inApp, p.id(), "IN_APP", "booking:" + soon + ":reminder:15m:%"), n -> n == 1, "15m reminder");
            Eventually.until(WAIT, () -> Db.count(inApp, p.id(), "IN_APP", "booking:" + day + ":reminder:24h:%"), n -> n == 1, "24h reminder");
        }
        Eventually.until(WAIT, () -> subjects(user.email()).stream().filter(s -> s.startsWith("Reminder: your booking starts")).count(),
                n -> n == 2, "two reminder emails to the user");
        // once their emails have gone out (the dispatcher's later rounds), many sweeps later: still once each
        Eventually.until(WAIT, () -> Db.count("select count(*) from notification where channel = 'EMAIL' and status = 'SENT'"
                + " and kind = 'booking-reminder' and (dedupe_key like ? or dedupe_key like ?)", "booking:" + soon + ":%", "booking:" + day + ":%"),
                n -> n == 4, "the four reminder emails sent");
        for (Person p : List.of(user, expert)) {
            assertEquals(1, Db.count(inApp, p.id(), "IN_APP", "booking:" + soon + ":reminder:%"));
            assertEquals(1, Db.count(inApp, p.id(), "EMAIL", "booking:" + soon + ":reminder:%"));
            assertEquals(1, Db.count(inApp, p.id(), "IN_APP", "booking:" + day + ":reminder:%"));
        }
        assertTrue(api.get("/notifications", user.token()).json().get("items").toString().contains("Reminder: your booking starts"));
    }

    @Test
    void acceptanceEmailsAnInvitationWithTheInstantAndDurationAndCancellationACancelWithTheSameUid() throws Exception {
        Person expert = Bookings.expert(api, admin, RATE);
        Person user = Bookings.user(api, admin, 100_000);
        Instant start = Bookings.in(600);
        String id = Bookings.accepted(api, user, expert, start, 30).get("id").asText();
        Calendar invite = calendar(user.email(), "Booking confirmed");
        assertEquals("REQUEST", invite.getProperty("METHOD").orElseThrow().getValue());
        VEvent event = invite.<VEvent>getComponents().get(0);
        assertEquals(id + "@parley", event.getProperty("UID").orElseThrow().getValue());
        assertEquals(start, Instant.from(java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssX")
                .parse(event.getProperty("DTSTART").orElseThrow().getValue())));
        assertEquals(Duration.ofSeconds(30), Duration.parse(event.getProperty("DURATION").orElseThrow().getValue()));
        assertEquals("REQUEST", calendar(expert.email(), "Booking confirmed").getProperty("METHOD").orElseThrow().getValue());

        assertEquals(200, api.post("/bookings/" + id + "/cancel", expert.token(), Map.of("reason", "unwell")).status());
        Calendar cancel = calendar(user.email(), "Booking cancelled");
        assertEquals("CANCEL", cancel.getProperty("METHOD").orElseThrow().getValue());
        VEvent cancelled = cancel.<VEvent>getComponents().get(0);
        assertEquals(id + "@parley", cancelled.getProperty("UID").orElseThrow().getValue());
        assertTrue(Integer.parseInt(cancelled.getProperty("SEQUENCE").orElseThrow().getValue())
                > Integer.parseInt(event.getProperty("SEQUENCE").orElseThrow().getValue()), "a later message about the same event");
    }

    private static List<String> subjects(String to) {
        List<String> out = new ArrayList<>();
        for (MimeMessage m : TestEnvironment.mail().getReceivedMessages()) {
            try {
                if (Arrays.stream(m.getAllRecipients()).anyMatch(a -> a.toString().equals(to))) {
                    out.add(m.getSubject());
                }
            } catch (jakarta.mail.MessagingException e) {
                throw new AssertionError(e);
            }
        }
        return out;
    }

    /** The text/calendar part of the email to {@code to} whose subject starts with {@code subject}, parsed. */
    private static Calendar calendar(String to, String subject) throws Exception {
        MimeMessage m = Eventually.until(WAIT, () -> Arrays.stream(TestEnvironment.mail().getReceivedMessages()).filter(x -> {
            try {
                return x.getSubject().startsWith(subject) && x.getAllRecipients()[0].toString().equals(to);
            } catch (jakarta.mail.MessagingException e) {
                throw new AssertionError(e);
            }
        }).findFirst().orElse(null), x -> x != null, subject + " email to " + to);
        Multipart parts = (Multipart) m.getContent();
        for (int i = 0; i < parts.getCount(); i++) {
            BodyPart p = parts.getBodyPart(i);
            String type = p.getContentType();
            if (type.toLowerCase().startsWith("text/calendar")) {
                String text = p.getContent() instanceof String s ? s : new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                Calendar c = new CalendarBuilder().build(new StringReader(text));
                assertTrue(type.toLowerCase().contains("method=" + c.getProperty("METHOD").orElseThrow().getValue().toLowerCase()), type);
                return c;
            }
        }
        throw new AssertionError("no text/calendar part in " + subject);
    }
}
