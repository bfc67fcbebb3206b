package org.parley.bench;

import jakarta.annotation.Resource;
import jakarta.inject.Inject;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.parley.analytics.Analytics;
import org.parley.it.support.InContainer;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Arrays;

/**
 * Benchmark, not a test ({@code ./mvnw -Pbench verify -Dit.test=AnalyticsBench}). Seeds 100,000 ended sessions and
 * 1,000,000 ledger transfers spread over the last 30 business days (not timed), then times {@code realtime()} and
 * {@code daily()} over those 30 days: the first call (29 past days computed and kept, today computed), and repeated
 * calls afterwards (the kept days read, only today computed), each as p50/p99/max.
 */
@ExtendWith(ArquillianExtension.class)
class AnalyticsBench {

    private static final int SESSIONS = Integer.getInteger("parley.bench.sessions", 100_000);
    private static final int TRANSFERS = Integer.getInteger("parley.bench.transfers", 1_000_000);

    @Deployment
    static EnterpriseArchive deployment() {
        return InContainer.earWith(AnalyticsBench.class);
    }

    @Resource(lookup = "java:jboss/datasources/ParleyDS")
    private DataSource dataSource;
    @Inject
    private Analytics analytics;

    @Test
    void realtimeAndThirtyDaysOverAMillionTransfersAndAHundredThousandSessions() throws Exception {
        long t0 = System.nanoTime();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("""
                    insert into account (id, email, password_hash, name, role, status, created_at, updated_at)
                    select gen_random_uuid(), 'bench-a-' || g || '@bench.parley.test', 'x', 'Bench ' || g,
                           case when g <= 200 then 'EXPERT' else 'USER' end, 'ACTIVE', now() - (g % 30) * interval '1 day', now()
                    from generate_series(1, 2200) g""");
            s.execute("""
                    insert into ledger_account (id, kind, owner_id)
                    select gen_random_uuid(), 'WALLET', id from account where email like 'bench-a-%' on conflict do nothing""");
            s.execute("create temporary table bench_users as select row_number() over (order by id) as n, id from account where email like 'bench-a-%' and role = 'USER'");
            s.execute("create temporary table bench_experts as select row_number() over (order by id) as n, id from account where email like 'bench-a-%' and role = 'EXPERT'");
            s.execute("""
                    insert into live_session (id, user_id, expert_id, channel, status, rate_per_minute, period_seconds, max_periods, started_at,
                                              next_charge_at, periods_billed, amount_charged, ended_at, end_reason, settled)
                    select gen_random_uuid(), u.id, e.id, 'CHAT', 'ENDED', 1000, 60, 120, t.start, t.start + interval '10 minutes', 10, 10000,
                           t.start + (5 + g %% 25) * interval '1 minute', 'user-ended', true
                    from generate_series(1, %d) g
                    cross join lateral (select now() - (g %% 30) * interval '1 day' - (g %% 86400) * interval '1 second' as start) t
                    join bench_users u on u.n = 1 + g %% 2000
                    join bench_experts e on e.n = 1 + g %% 200""".formatted(SESSIONS));
            s.execute("""
                    insert into ledger_transfer (id, from_account, to_account, amount, kind, reference, created_at)
                    select gen_random_uuid(), w.id,
                           case when g %% 10 = 0 then '00000000-0000-0000-0000-000000000003'::uuid else '00000000-0000-0000-0000-000000000002'::uuid end,
                           1000, case when g %% 10 = 0 then 'PLATFORM_FEE' else 'SESSION_CHARGE' end, 'bench:' || g,
                           now() - (g %% 30) * interval '1 day' - (g %% 86400) * interval '1 second'
                    from generate_series(1, %d) g
                    join (select row_number() over (order by a.id) as n, a.id from ledger_account a join bench_users u on u.id = a.owner_id
                          where a.kind = 'WALLET') w on w.n = 1 + g %% 2000""".formatted(TRANSFERS));
            s.execute("analyze");
        }
        System.out.printf("[bench] seeded %,d sessions and %,d transfers over 30 days in %.1f s%n", SESSIONS, TRANSFERS, (System.nanoTime() - t0) / 1e9);

        double[] realtime = time(200, () -> analytics.realtime());
        print("realtime", realtime);
        LocalDate today = LocalDate.now(ZoneId.of("Asia/Kolkata"));
        long cold = System.nanoTime();
        analytics.daily(today.minusDays(29), today);
        System.out.printf("[bench] daily, 30 days, first call (29 days computed and kept): %.1f ms%n", (System.nanoTime() - cold) / 1e6);
        double[] warm = time(50, () -> analytics.daily(today.minusDays(29), today));
        print("daily, 30 days, kept days + today", warm);
    }

    private static double[] time(int n, Runnable call) {
        for (int i = 0; i < 10; i++) {
            call.run();
        }
        double[] ms = new double[n];
        for (int i = 0; i < n; i++) {
            long t = System.nanoTime();
            call.run();
            ms[i] = (System.nanoTime() - t) / 1e6;
        }
        Arrays.sort(ms);
        return ms;
    }

    private static void print(String what, double[] sorted) {
        System.out.printf("[bench] %s: p50 %.2f ms, p99 %.2f ms, max %.2f ms (%d calls)%n", what, sorted[sorted.length / 2],
                sorted[(int) Math.ceil(sorted.length * 0.99) - 1], sorted[sorted.length - 1], sorted.length);
    }
}
