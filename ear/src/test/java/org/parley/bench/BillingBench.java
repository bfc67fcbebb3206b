package org.parley.bench;

import jakarta.annotation.Resource;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.parley.it.support.InContainer;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * Benchmark, not a test (run with {@code ./mvnw -Pbench verify}). Seeds N live sessions straight into the database
 * (seeding is not timed) with a 60 s period and their next charges spread evenly over the minute starting 3 s after
 * the seeding transaction began (seeding itself takes a second or two, and now() is that transaction's start), lets the
 * server's own billing sweep run for a little more than one period, and prints charges/s, the lateness of each charge
 * against its due instant (p50/p99/max), missed and doubled charges, and the server's CPU over the window.
 */
@ExtendWith(ArquillianExtension.class)
class BillingBench {

    @Deployment
    static EnterpriseArchive deployment() {
        return InContainer.earWith(BillingBench.class, ProcessStats.class);
    }

    @Resource(lookup = "java:jboss/datasources/ParleyDS")
    private DataSource dataSource;

    @Test
    void billingSweepAt10kAnd50kConcurrentSessions() throws Exception {
        for (int sessions : new int[]{10_000, 50_000}) {
            run(sessions);
        }
    }

    private void run(int n) throws Exception {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        try (Connection c = dataSource.getConnection()) {
            seed(c, tag, n);
        }
        long cpu0 = ProcessStats.cpuNanos();
        long t0 = System.nanoTime();
        Thread.sleep(66_000);
        long cpu = ProcessStats.cpuNanos() - cpu0;
        double wall = (System.nanoTime() - t0) / 1e9;
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            ResultSet r = s.executeQuery("""
                    select count(*), coalesce(percentile_cont(0.5) within group (order by extract(epoch from charged_at - due_at)), 0),
                           coalesce(percentile_cont(0.99) within group (order by extract(epoch from charged_at - due_at)), 0),
                           coalesce(max(extract(epoch from charged_at - due_at)), 0)
                    from session_charge sc join live_session ls on ls.id = sc.session_id
                    where sc.period >= 2 and ls.user_id in (select id from account where email like 'bench-u-%-""" + tag + """
                    @bench.parley.test')
                    """);
            r.next();
            long charged = r.getLong(1);
            double p50 = r.getDouble(2);
            double p99 = r.getDouble(3);
            double max = r.getDouble(4);
            ResultSet missed = s.executeQuery("select count(*) from live_session ls join account a on a.id = ls.user_id"
                    + " where a.email like 'bench-u-%-" + tag + "@bench.parley.test' and ls.status <> 'ENDED'"
                    + " and ls.next_charge_at < now() - interval '2 seconds'");
            missed.next();
            long missedCount = missed.getLong(1);
            ResultSet doubled = s.executeQuery("select count(*) from (select reference from ledger_transfer where kind = 'SESSION_CHARGE'"
                    + " group by reference having count(*) > 1) d");
            doubled.next();
            System.out.printf("[bench] %,d sessions, 60 s period: %,d charges in %.0f s -> %.0f charges/s; lateness p50 %.3f s, p99 %.3f s,"
                            + " max %.3f s; missed %d, doubled %d; server CPU %.1f s over %.0f s (%.0f%% of one core)%n",
                    n, charged, wall, charged / wall, p50, p99, max, missedCount,
                    doubled.getLong(1), cpu / 1e9, wall, 100 * cpu / 1e9 / wall);
            s.executeUpdate("update live_session set status = 'ENDED', end_reason = 'admin-ended', ended_at = now()"
                    + " where user_id in (select id from account where email like 'bench-u-%-" + tag + "@bench.parley.test')");
        }
    }

    /** N users with funded wallets, N/50 experts, N sessions started within the last minute (period 1 paid). */
    private static void seed(Connection c, String tag, int n) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.executeUpdate("insert into account (id, email, password_hash, name, role, status, created_at, updated_at)"
                    + " select md5('u" + tag + "' || g)::uuid, 'bench-u-' || g || '-" + tag + "@bench.parley.test', 'x', 'U', 'USER', 'ACTIVE', now(), now()"
                    + " from generate_series(1, " + n + ") g");
            s.executeUpdate("insert into account (id, email, password_hash, name, role, status, created_at, updated_at)"
                    + " select md5('e" + tag + "' || g)::uuid, 'bench-e-' || g || '-" + tag + "@bench.parley.test', 'x', 'E', 'EXPERT', 'ACTIVE', now(), now()"
                    + " from generate_series(0, " + (n / 50 - 1) + ") g");
            s.executeUpdate("insert into ledger_account (id, kind, owner_id, balance)"
                    + " select md5('w" + tag + "' || g)::uuid, 'WALLET', md5('u" + tag + "' || g)::uuid, 1000000 from generate_series(1, " + n + ") g");
            s.executeUpdate("insert into ledger_transfer (id, from_account, to_account, amount, kind, to_balance_after, created_at)"
                    + " select gen_random_uuid(), '00000000-0000-0000-0000-000000000005', md5('w" + tag + "' || g)::uuid, 1000000, 'ADJUSTMENT', 1000000, now()"
                    + " from generate_series(1, " + n + ") g");
            s.executeUpdate("insert into live_session (id, user_id, expert_id, channel, status, rate_per_minute, period_seconds, max_periods,"
                    + " started_at, next_charge_at, periods_billed, amount_charged)"
                    + " select md5('s" + tag + "' || g)::uuid, md5('u" + tag + "' || g)::uuid, md5('e" + tag + "' || (g % " + (n / 50) + "))::uuid,"
                    + " 'CHAT', 'ACTIVE', 100, 60, 1000, st, st + interval '60 seconds', 1, 100"
                    + " from (select g, now() + interval '3 seconds' - (g % 60000) * interval '1 millisecond' as st from generate_series(1, " + n + ") g) x");
        }
    }
}
