package org.parley.it.support;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Live-session set-up through the public API. */
public final class Live {

    private Live() {
    }

    /** Fast billing for tests: one "minute" per {@code periodSeconds}, grace and warnings in those terms. */
    public static void fastBilling(Api api, String admin, int periodSeconds, int graceSeconds) {
        Api.Resp r = api.patch("/admin/config", admin, Map.of("billingPeriodSeconds", periodSeconds, "graceSeconds", graceSeconds,
                "lowBalanceMinutes", 3, "expertCapacity", 1, "maxSessionMinutes", 120, "feePercent", 20));
        assertEquals(200, r.status(), r::toString);
    }

    /** An approved expert, online, offering CHAT at {@code chatRate} paise per period. */
    public static Accounts.Person onlineExpert(Api api, String admin, long chatRate) {
        Accounts.Person expert = Accounts.approvedExpert(api, admin, "Live Expert", Accounts.profile("Listener", List.of("listening"),
                List.of("en"), Map.of("CHAT", chatRate, "VOICE", chatRate * 2)));
        Api.Resp r = api.put("/experts/me/presence", expert.token(), Map.of("online", true));
        assertEquals(200, r.status(), r::toString);
        return expert;
    }

    /** A user, an expert and the CHAT session between them, started and ended at once by the user. */
    public record Ended(Accounts.Person user, Accounts.Person expert, String sessionId) {
    }

    /** A user funded with {@code wallet} paise has a CHAT session at {@code rate} with a new online expert and ends it. */
    public static Ended endedChat(Api api, String admin, long wallet, long rate) {
        Accounts.Person user = Accounts.user(api);
        Money.fund(api, admin, user.id(), "WALLET", wallet);
        Accounts.Person expert = onlineExpert(api, admin, rate);
        Api.Resp started = start(api, user, expert, "CHAT");
        assertEquals(201, started.status(), started::toString);
        String id = started.json().get("id").asText();
        Api.Resp ended = api.post("/sessions/" + id + "/end", user.token(), null);
        assertEquals(200, ended.status(), ended::toString);
        return new Ended(user, expert, id);
    }

    public static Api.Resp start(Api api, Accounts.Person user, Accounts.Person expert, String channel) {
        return api.post("/sessions", user.token(), Map.of("expertId", expert.id(), "channel", channel));
    }

    public static JsonNode session(Api api, String token, String sessionId) {
        Api.Resp r = api.get("/sessions/" + sessionId, token);
        assertEquals(200, r.status(), r::toString);
        return r.json();
    }

    public static JsonNode awaitEnded(Api api, String token, String sessionId, Duration timeout) {
        return Eventually.until(timeout, () -> session(api, token, sessionId), s -> "ENDED".equals(s.get("status").asText()), "session end");
    }
}
