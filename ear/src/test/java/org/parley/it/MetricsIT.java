package org.parley.it;

import org.junit.jupiter.api.Test;
import org.parley.it.support.Accounts;
import org.parley.it.support.Accounts.Person;
import org.parley.it.support.Api;
import org.parley.it.support.Eventually;
import org.parley.it.support.Live;
import org.parley.it.support.Money;
import org.parley.it.support.SystemTest;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Prometheus metrics on the management port (10090 on the test server), WildFly's and Parley's own. */
class MetricsIT extends SystemTest {

    private static final String METRICS = "http://127.0.0.1:10090/metrics";

    private String scrape() {
        Api.Resp r = api.get(METRICS, null);
        assertEquals(200, r.status(), r::toString);
        return r.body();
    }

    private static double value(String text, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + "(?:\\{[^}]*})? ([0-9.eE+-]+)$").matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }

    @Test
    void parleysOwnMetricsAreExportedForPrometheusAndMoveWithWhatHappens() {
        String admin = Accounts.admin(api);
        double charges = Math.max(0, value(scrape(), "parley_charges_total"));
        Person user = Accounts.user(api);
        Money.fund(api, admin, user.id(), "WALLET", 5_000);
        Person expert = Live.onlineExpert(api, admin, 1_000);
        String id = Live.start(api, user, expert, "CHAT").json().get("id").asText();
        assertEquals(201, api.post("/sessions/" + id + "/messages", user.token(), java.util.Map.of("body", "hello")).status());
        String after = Eventually.until(Duration.ofSeconds(15), this::scrape, t -> value(t, "parley_live_sessions") >= 1, "the gauges refreshed");
        assertTrue(value(after, "parley_charges_total") >= charges + 1, "the session's first period counted");
        assertTrue(value(after, "parley_chat_lines_total") >= 1);
        assertTrue(after.contains("parley_billing_lateness_buckets_total{") && after.contains("le=\"+Inf\""), "lateness is a histogram");
        assertTrue(after.contains("parley_chat_store_buckets_total{"), "store latency is a histogram");
        assertTrue(value(after, "parley_billing_lateness_seconds_count") >= 1, "and a timer: count, sum, max");
        assertTrue(value(after, "parley_experts_online") >= 1);
        assertTrue(after.contains("parley_sockets_connected"));
        Money.paidDeposit(api, user, 10_000, null);
        assertTrue(value(scrape(), "parley_gateway_calls_total") >= 1 && scrape().contains("outcome=\"ok\""), "gateway calls by outcome");
        api.post("/sessions/" + id + "/end", user.token(), null);
    }
}
