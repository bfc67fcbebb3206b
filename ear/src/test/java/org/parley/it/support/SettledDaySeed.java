package org.parley.it.support;

import java.time.LocalDate;
import java.util.List;

/**
 * SQL that seeds a business day of ended sessions exactly as the platform would have left them (so the ledger check
 * holds): per session a user funded by an ADJUSTMENT, one SESSION_CHARGE wallet → escrow with its session_charge row,
 * and the escrow settled at the end (the session recording its net; SESSION_EARNING net → the expert's EARNINGS_PENDING, PLATFORM_FEE 20 % →
 * PLATFORM_REVENUE). Experts and users are new accounts tagged {@code tag}; every session ends at noon IST of {@code day}
 * and charged {@code gross} paise. With {@code settleEscrow} false the end's two transfers are missing: a deliberately
 * unbalanced day (money left in escrow), the ledger itself still balanced.
 */
public final class SettledDaySeed {

    private SettledDaySeed() {
    }

    public static List<String> sql(String tag, int experts, int sessionsPerExpert, LocalDate day, long gross, boolean settleEscrow) {
        long fee = (gross * 20 + 50) / 100;
        long net = gross - fee;
        int sessions = experts * sessionsPerExpert;
        String ended = "timestamptz '" + day + " 12:00:00+05:30'";
        String expertId = "md5('se" + tag + "' || e)::uuid";
        String sessionId = "md5('ss" + tag + "' || g)::uuid";
        String userId = "md5('su" + tag + "' || g)::uuid";
        String walletId = "md5('sw" + tag + "' || g)::uuid";
        String chargeId = "md5('sc" + tag + "' || g)::uuid";
        String expertOf = "md5('se" + tag + "' || ((g - 1) % " + experts + "))::uuid";
        String pendingOf = "md5('sp" + tag + "' || ((g - 1) % " + experts + "))::uuid";
        String series = " from generate_series(1, " + sessions + ") g";
        String escrow = "'00000000-0000-0000-0000-000000000002'";
        List<String> statements = new java.util.ArrayList<>(List.of(
                "insert into account (id, email, password_hash, name, role, status, created_at, updated_at) select " + expertId
                        + ", 'settle-e' || e || '-" + tag + "@seed.parley.test', 'x', 'E', 'EXPERT', 'ACTIVE', now(), now()"
                        + " from generate_series(0, " + (experts - 1) + ") e",
                "insert into ledger_account (id, kind, owner_id, balance) select md5('sp" + tag + "' || e)::uuid, 'EARNINGS_PENDING', "
                        + expertId + ", " + (settleEscrow ? net * sessionsPerExpert : 0) + " from generate_series(0, " + (experts - 1) + ") e",
                "insert into account (id, email, password_hash, name, role, status, created_at, updated_at) select " + userId
                        + ", 'settle-u' || g || '-" + tag + "@seed.parley.test', 'x', 'U', 'USER', 'ACTIVE', now(), now()" + series,
                "insert into ledger_account (id, kind, owner_id, balance) select " + walletId + ", 'WALLET', " + userId + ", 0" + series,
                "insert into ledger_transfer (id, from_account, to_account, amount, kind, to_balance_after, created_at) select gen_random_uuid(),"
                        + " '00000000-0000-0000-0000-000000000005', " + walletId + ", " + gross + ", 'ADJUSTMENT', " + gross + ", " + ended + " - interval '1 hour'" + series,
                "insert into live_session (id, user_id, expert_id, channel, status, rate_per_minute, period_seconds, max_periods, started_at,"
                        + " next_charge_at, periods_billed, amount_charged, ended_at, end_reason, settled, expert_net) select " + sessionId + ", " + userId + ", "
                        + expertOf + ", 'CHAT', 'ENDED', " + gross + ", 60, 120, " + ended + " - interval '1 minute', " + ended + ", 1, " + gross
                        + ", " + ended + ", 'user-ended', true, " + (settleEscrow ? Long.toString(net) : "null") + series,
                "insert into ledger_transfer (id, from_account, to_account, amount, kind, reference, from_balance_after, created_at) select "
                        + chargeId + ", " + walletId + ", " + escrow + ", " + gross + ", 'SESSION_CHARGE', " + sessionId + "::text || ':1', 0, "
                        + ended + " - interval '1 minute'" + series,
                "insert into session_charge (session_id, period, amount, transfer_id, due_at, charged_at) select " + sessionId + ", 1, " + gross
                        + ", " + chargeId + ", " + ended + " - interval '1 minute', " + ended + " - interval '1 minute'" + series));
        if (settleEscrow) {
            statements.add("insert into ledger_transfer (id, from_account, to_account, amount, kind, reference, created_at) select gen_random_uuid(), "
                    + escrow + ", " + pendingOf + ", " + net + ", 'SESSION_EARNING', " + sessionId + "::text, " + ended + series);
            statements.add("insert into ledger_transfer (id, from_account, to_account, amount, kind, reference, created_at) select gen_random_uuid(), "
                    + escrow + ", '00000000-0000-0000-0000-000000000003', " + fee + ", 'PLATFORM_FEE', " + sessionId + "::text, " + ended + series);
        }
        return statements;
    }

    /** The expert ids {@link #sql} creates for {@code tag}, as SQL matching them by email. */
    public static String expertsOf(String tag) {
        return "select id from account where email like 'settle-e%-" + tag + "@seed.parley.test'";
    }
}
