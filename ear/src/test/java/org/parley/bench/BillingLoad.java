package org.parley.bench;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The billing benchmarks' load, seeded straight into the database (not timed), and their figures. N live sessions with
 * a 60 s period whose next charges are spread evenly over the minute starting 3 s after the seeding transaction began
 * (seeding takes a second or two, and now() is that transaction's start); after a little more than one period, the
 * charges made, their lateness against the due instant (p50/p99/max), and missed and doubled charges.
 */
final class BillingLoad {

    private BillingLoad() {
    }

    /** N users with funded wallets, N/50 experts, N sessions started within the last minute (period 1 paid). */
    static void seed(Connection c, String tag, int n) throws SQLException {
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

    /** The figures of the sessions seeded with {@code tag}, {@code wall} seconds after the seeding. */
    static String report(Connection c, String tag, int n, double wall) throws SQLException {
        try (Statement s = c.createStatement()) {
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
            return String.format("%,d sessions, 60 s period: %,d charges in %.0f s -> %.0f charges/s; lateness p50 %.3f s, p99 %.3f s,"
                    + " max %.3f s; missed %d, doubled %d", n, charged, wall, charged / wall, p50, p99, max, missedCount, doubled.getLong(1));
        }
    }

    /** Ends the sessions seeded with {@code tag}. */
    static void end(Connection c, String tag) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.executeUpdate("update live_session set status = 'ENDED', end_reason = 'admin-ended', ended_at = now()"
                    + " where user_id in (select id from account where email like 'bench-u-%-" + tag + "@bench.parley.test')");
        }
    }
}
