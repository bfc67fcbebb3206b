package org.parley.it.support;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Booking set-up through the public API. With a 1 s billing period a booked "minute" is a second. */
public final class Bookings {

    /** The defaults of the booking settings (api.md), restored after tests that change them. */
    public static final Map<String, Object> DEFAULTS = Map.of("bookingHorizonDays", 30, "bookingMinNoticeMinutes", 60,
            "bookingBufferMinutes", 0, "cancellationNoticeHours", 24, "cancellationFeePercent", 50, "bookingNoShowMinutes", 10);

    private Bookings() {
    }

    /** Bookings in seconds: a 1 s period, no minimum notice, a short no-show wait, the fee and cancellation defaults. */
    public static void fast(Api api, String admin, int noShowSeconds) {
        Live.fastBilling(api, admin, 1, 2);
        Map<String, Object> settings = new LinkedHashMap<>(DEFAULTS);
        settings.put("bookingMinNoticeMinutes", 0);
        settings.put("bookingNoShowMinutes", noShowSeconds);
        config(api, admin, settings);
    }

    public static void config(Api api, String admin, Map<String, Object> settings) {
        Api.Resp r = api.patch("/admin/config", admin, settings);
        assertEquals(200, r.status(), r::toString);
    }

    /** An approved expert offering CHAT at {@code rate} paise a minute (and VOICE at twice that). */
    public static Accounts.Person expert(Api api, String admin, long rate) {
        return Accounts.approvedExpert(api, admin, "Booked Expert", Accounts.profile("Mentor", List.of("career"), List.of("en"),
                Map.of("CHAT", rate, "VOICE", rate * 2)));
    }

    /** A funded user. */
    public static Accounts.Person user(Api api, String admin, long wallet) {
        Accounts.Person user = Accounts.user(api);
        if (wallet > 0) {
            Money.fund(api, admin, user.id(), "WALLET", wallet);
        }
        return user;
    }

    /** A whole second {@code seconds} from now. */
    public static Instant in(long seconds) {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(seconds + 1);
    }

    /** The expert opens a one-off window [start, start + length). */
    public static void window(Api api, Accounts.Person expert, Instant start, Duration length) {
        Api.Resp r = api.post("/experts/me/availability", expert.token(), Map.of("startsAt", start.toString(),
                "endsAt", start.plus(length).toString()));
        assertEquals(201, r.status(), r::toString);
    }

    public static Api.Resp request(Api api, Accounts.Person user, Accounts.Person expert, Instant start, int minutes) {
        return Money.postIdempotent(api, "/bookings", user.token(), Money.key(), Map.of("expertId", expert.id(),
                "startsAt", start.toString(), "minutes", minutes, "channel", "CHAT"));
    }

    /** A booking made: 201 and its view. */
    public static JsonNode book(Api api, Accounts.Person user, Accounts.Person expert, Instant start, int minutes) {
        Api.Resp r = request(api, user, expert, start, minutes);
        assertEquals(201, r.status(), r::toString);
        return r.json();
    }

    /**
     * A PENDING booking of {@code minutes} made under whatever booking and billing settings the server has now (for tests
     * that do not change them): the expert opens a window just past the minimum notice and the user books its start.
     */
    public static JsonNode pendingUnderCurrentSettings(Api api, String admin, Accounts.Person user, Accounts.Person expert, int minutes) {
        JsonNode config = api.get("/admin/config", admin).json();
        long period = config.get("billingPeriodSeconds").asLong();
        Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(period * (config.get("bookingMinNoticeMinutes").asLong() + 5));
        Api.Resp window = api.post("/experts/me/availability", expert.token(), Map.of("startsAt", start.toString(),
                "endsAt", start.plusSeconds(minutes * period).toString()));
        assertEquals(201, window.status(), window::toString);
        return book(api, user, expert, start, minutes);
    }

    public static JsonNode decide(Api api, Accounts.Person expert, String bookingId, String decision) {
        Api.Resp r = api.put("/bookings/" + bookingId + "/decision", expert.token(), Map.of("decision", decision));
        assertEquals(200, r.status(), r::toString);
        return r.json();
    }

    /** An accepted booking of {@code minutes} in a window opened for it at {@code start}. */
    public static JsonNode accepted(Api api, Accounts.Person user, Accounts.Person expert, Instant start, int minutes) {
        window(api, expert, start, Duration.ofSeconds(minutes));
        JsonNode b = book(api, user, expert, start, minutes);
        return decide(api, expert, b.get("id").asText(), "ACCEPT");
    }

    public static JsonNode get(Api api, String token, String bookingId) {
        Api.Resp r = api.get("/bookings/" + bookingId, token);
        assertEquals(200, r.status(), r::toString);
        return r.json();
    }

    public static JsonNode awaitStatus(Api api, String token, String bookingId, String status, Duration timeout) {
        return Eventually.until(timeout, () -> get(api, token, bookingId), b -> status.equals(b.get("status").asText()),
                "booking " + bookingId + " " + status);
    }

    /** The balance of an owned ledger account, read from the database. */
    public static long balance(String ownerId, String kind) {
        return Db.count("select coalesce((select balance from ledger_account where owner_id = ?::uuid and kind = ?), 0)", ownerId, kind);
    }

    /** The ledger check passes now (each test also checks it after it ends). */
    public static void ledgerBalanced(Api api, String admin) {
        Api.Resp check = api.get("/admin/ledger/check", admin);
        assertTrue(check.json().get("balanced").asBoolean(), check::toString);
    }
}
