package org.parley.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.parley.it.support.Accounts;
import org.parley.it.support.Accounts.Person;
import org.parley.it.support.Db;
import org.parley.it.support.Eventually;
import org.parley.it.support.Jobs;
import org.parley.it.support.Live;
import org.parley.it.support.Money;
import org.parley.it.support.SystemTest;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.parley.it.support.Problems.assertFieldError;
import static org.parley.it.support.Problems.assertProblem;

/** Operators' figures against the deployed EAR: real-time counts, a day's money equal to the journal's sums, revenue buckets. */
class AnalyticsIT extends SystemTest {

    private static final ZoneId BUSINESS = ZoneId.of("Asia/Kolkata");
    private String admin;

    @BeforeEach
    void signIn() {
        admin = Accounts.admin(api);
    }

    private JsonNode today() {
        LocalDate d = LocalDate.now(BUSINESS);
        return api.get("/admin/metrics/daily?from=" + d + "&to=" + d, admin).json().get("items").get(0);
    }

    /** A sum over today's transfers in the business day, straight from the journal. */
    private static long journal(String where) {
        return Db.count("select coalesce(sum(t.amount), 0) from ledger_transfer t where t.created_at >= (date_trunc('day', now() at time zone 'Asia/Kolkata')"
                + " at time zone 'Asia/Kolkata') and " + where);
    }

    /** Today's deposits, gross and fee as the journal has them. */
    private static long[] journalSums() {
        return new long[] {
                journal("t.kind = 'DEPOSIT'"),
                journal("t.kind = 'SESSION_CHARGE' and t.to_account = '00000000-0000-0000-0000-000000000002'")
                        + journal("t.to_account = '00000000-0000-0000-0000-000000000007' and t.kind in ('ORDER_PAYMENT', 'PROMOTION')"),
                journal("t.to_account = '00000000-0000-0000-0000-000000000003'") - journal("t.from_account = '00000000-0000-0000-0000-000000000003'")};
    }

    @Test
    void realTimeFiguresCountLiveSessionsOnlineExpertsAndTheLastHoursStarts() {
        JsonNode before = api.get("/admin/metrics/realtime", admin).json();
        List<String> sessions = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Person user = Accounts.user(api);
            Money.fund(api, admin, user.id(), "WALLET", 50_000);
            sessions.add(Live.start(api, user, Live.onlineExpert(api, admin, 1_000), "CHAT").json().get("id").asText());
        }
        JsonNode after = Eventually.until(java.time.Duration.ofSeconds(10), () -> api.get("/admin/metrics/realtime", admin).json(),
                r -> r.get("liveSessions").asLong() == Db.count("select count(*) from live_session where status <> 'ENDED'")
                        && r.get("onlineExperts").asLong() == Db.count("select count(*) from expert_profile where online"),
                "the figures as the tables have them");
        assertTrue(after.get("liveSessions").asLong() >= 3, after::toString);
        assertEquals(before.get("sessionsStartedLastHour").asLong() + 3, after.get("sessionsStartedLastHour").asLong());
        assertEquals(Db.count("select count(*) from session_queue"), after.get("queuedUsers").asLong());
        assertTrue(today().get("peakConcurrentSessions").asLong() >= 3, "three at once today");
        assertProblem(api.get("/admin/metrics/realtime", Accounts.user(api).token()), 403, "forbidden");
    }

    @Test
    void aDaysMoneyFiguresAreTheJournalsSumsToThePaisa() {
        JsonNode before = today();
        Person user = Accounts.user(api);
        Money.paidDeposit(api, user, 12_345, null);
        Person expert = Live.onlineExpert(api, admin, 1_000);
        String id = Live.start(api, user, expert, "CHAT").json().get("id").asText();
        api.post("/sessions/" + id + "/end", user.token(), null);
        assertEquals(200, Money.refund(api, admin, id, java.util.Map.of("amount", 300, "reason", "test")).status());
        // other classes' sessions may still be charging: the figures are compared with the journal's sums read on both
        // sides of the call, on a try where nothing was written in between
        long[] sums = new long[3];
        JsonNode after = Eventually.until(java.time.Duration.ofSeconds(20), () -> {
            long[] first = journalSums();
            JsonNode day = today();
            long[] second = journalSums();
            System.arraycopy(second, 0, sums, 0, sums.length);
            return java.util.Arrays.equals(first, second) ? day : null;
        }, day -> day != null, "a call with no transfer written around it");
        assertEquals(before.get("deposits").asLong() + 12_345, after.get("deposits").asLong());
        assertEquals(sums[0], after.get("deposits").asLong());
        assertEquals(sums[1], after.get("gross").asLong());
        assertEquals(sums[2], after.get("fee").asLong());
        assertEquals(before.get("refunds").asLong() + 300, after.get("refunds").asLong());
        assertEquals(before.get("sessionsStarted").asLong() + 1, after.get("sessionsStarted").asLong());
        assertEquals(before.get("newUsers").asLong() + 1, after.get("newUsers").asLong());
        assertEquals(before.get("newExperts").asLong() + 1, after.get("newExperts").asLong());
    }

    @Test
    void pastDaysAreKeptOnceTheyAreOverAndRevenueBucketsAddUpTheDays() {
        LocalDate today = LocalDate.now(BUSINESS);
        LocalDate from = today.minusDays(40);
        // a past day with money in it (system accounts only, so no wallet's cached balance is touched), as if written then:
        // transfers are dated when written, so a day that is over is kept once read; another test (the console's revenue
        // by month) may have read and kept this one already, so its kept row goes first, as if nobody had read it yet
        LocalDate past = today.minusDays(35);
        Db.exec("delete from analytics_day where business_date = ?::date", past.toString());
        String noon = past + " 12:00:00 Asia/Kolkata";
        Db.exec("insert into ledger_transfer (id, from_account, to_account, amount, kind, reference, created_at) values (gen_random_uuid(),"
                + " '00000000-0000-0000-0000-000000000001', '00000000-0000-0000-0000-000000000002', 777, 'SESSION_CHARGE', 'analytics-it:' || gen_random_uuid(),"
                + " ?::timestamptz)", noon);
        Db.exec("insert into ledger_transfer (id, from_account, to_account, amount, kind, reference, created_at) values (gen_random_uuid(),"
                + " '00000000-0000-0000-0000-000000000002', '00000000-0000-0000-0000-000000000003', 111, 'PLATFORM_FEE', 'analytics-it:' || gen_random_uuid(),"
                + " ?::timestamptz)", noon);
        JsonNode days = api.get("/admin/metrics/daily?from=" + from + "&to=" + today, admin).json().get("items");
        assertEquals(41, days.size());
        assertEquals(from.toString(), days.get(0).get("date").asText());
        assertEquals(1, Db.count("select count(*) from analytics_day where business_date = ?::date", today.minusDays(1).toString()), "yesterday is kept");
        JsonNode pastDay = days.get(5);
        assertEquals(past.toString(), pastDay.get("date").asText());
        assertEquals(777, pastDay.get("gross").asLong(), "the journal's charges of that day");
        assertEquals(111, pastDay.get("fee").asLong());
        assertEquals(1, Db.count("select count(*) from analytics_day where business_date = ?::date and gross = 777", past.toString()), "kept as computed");
        assertEquals(0, Db.count("select count(*) from analytics_day where business_date = ?::date", today.toString()), "today is not");
        // the kept days cannot change any more (today's figures move with every charge of a session still running)
        LocalDate yesterday = today.minusDays(1);
        JsonNode kept = api.get("/admin/metrics/daily?from=" + from + "&to=" + yesterday, admin).json().get("items");
        long gross = 0;
        long fee = 0;
        for (JsonNode d : kept) {
            gross += d.get("gross").asLong();
            fee += d.get("fee").asLong();
        }
        for (String granularity : List.of("day", "week", "month")) {
            JsonNode buckets = api.get("/admin/revenue?granularity=" + granularity + "&from=" + from + "&to=" + yesterday, admin).json().get("items");
            long g = 0;
            long f = 0;
            String previous = "";
            for (JsonNode b : buckets) {
                assertTrue(b.get("start").asText().compareTo(previous) > 0, "ascending");
                previous = b.get("start").asText();
                g += b.get("gross").asLong();
                f += b.get("fee").asLong();
            }
            assertEquals(gross, g, granularity);
            assertEquals(fee, f, granularity);
        }
        assertFieldError(assertProblem(api.get("/admin/revenue?granularity=year", admin), 400, "validation"), "granularity");
        assertFieldError(assertProblem(api.get("/admin/metrics/daily?from=yesterday", admin), 400, "validation"), "from");
        assertFieldError(assertProblem(api.get("/admin/metrics/daily?from=" + today + "&to=" + from, admin), 400, "validation"), "to");
    }
    @Test
    void theNightlySettlementOfADayKeepsThatDaysFiguresBeforeAnyoneReadsThem() {
        LocalDate day = LocalDate.now(BUSINESS).minusDays(36);
        // as if nobody had read the day yet (the console's month view may have), with money in it from system accounts
        Db.exec("delete from analytics_day where business_date = ?::date", day.toString());
        Db.exec("insert into ledger_transfer (id, from_account, to_account, amount, kind, reference, created_at) values (gen_random_uuid(),"
                + " '00000000-0000-0000-0000-000000000001', '00000000-0000-0000-0000-000000000002', 555, 'SESSION_CHARGE', 'analytics-it:' || gen_random_uuid(),"
                + " ?::timestamptz)", day + " 18:30:00 Asia/Kolkata");

        JsonNode execution = Jobs.run(api, admin, "nightly-settlement", Map.of("businessDate", day.toString()));
        assertEquals("COMPLETED", execution.get("status").asText(), execution::toString);
        assertEquals("BALANCED", execution.get("exitStatus").asText(), "the job's verdict stays the reconciliation's: " + execution);
        assertEquals(1, Db.count("select count(*) from analytics_day where business_date = ?::date and gross = 555", day.toString()),
                "the settlement kept the day as the journal has it, nobody having read it");
        assertEquals(555, api.get("/admin/metrics/daily?from=" + day + "&to=" + day, admin).json().get("items").get(0).get("gross").asLong(),
                "the API reads the kept day");
    }
}
