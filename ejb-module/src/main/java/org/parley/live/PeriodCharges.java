package org.parley.live;

import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.PersistenceException;
import org.parley.ledger.AccountKind;
import org.parley.ledger.Ledger;
import org.parley.ledger.TransferKind;
import org.parley.settings.PlatformSettings;
import org.parley.settings.Setting;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The billing sweep's fast path: charges the due period of many paid-up sessions in one transaction and a handful of
 * statements, instead of one transaction per session. It claims up to {@code limit} ACTIVE sessions whose next charge
 * is due ({@code FOR UPDATE SKIP LOCKED}, so nodes and lanes share the work), debits their wallets set-based through
 * {@link Ledger#tryTransferAll} (same conditional debit, same unique (SESSION_CHARGE, "session:period") reference, so
 * a period is still charged at most once), records the session_charge rows and moves each schedule on by one period.
 * Whatever needs a decision — a wallet that cannot pay (grace), a session at its maximum duration — is handed back for
 * {@link SessionService#tick}, which owns those rules, and so is a free period (paid by PROMOTIONS, not the wallet).
 */
@Stateless
public class PeriodCharges {

    @Resource(lookup = "java:jboss/datasources/ParleyDS")
    private DataSource dataSource;
    @Inject
    private Ledger ledger;
    @Inject
    private PlatformSettings settings;
    @Inject
    private LiveEvents events;
    @Inject
    private org.parley.analytics.ParleyMetrics metrics;

    /** What one batch did: sessions claimed, charged, and those left for the per-session tick. */
    public record Batch(int claimed, int charged, List<UUID> forTick) {
    }

    private record Due(UUID id, UUID userId, UUID wallet, long rate, int period, Instant startedAt, int periodSeconds,
                       Instant dueAt, long amountCharged) {
        String reference() {
            return id + ":" + period;
        }

        Instant nextDue() {
            return startedAt.plusSeconds((long) periodSeconds * period);
        }
    }

    public Batch chargeDue(Instant now, int limit) {
        try (Connection c = dataSource.getConnection()) {
            List<Due> due = claim(c, now, limit);
            if (due.isEmpty()) {
                return new Batch(0, 0, List.of());
            }
            List<Ledger.Debit> debits = due.stream().map(d -> new Ledger.Debit(d.wallet(), d.rate(), d.reference())).toList();
            Map<String, Ledger.Posted> posted = ledger.tryTransferAll(debits, AccountKind.SESSION_ESCROW.systemId(), TransferKind.SESSION_CHARGE);
            List<Due> charged = new ArrayList<>();
            List<UUID> forTick = new ArrayList<>();
            for (Due d : due) {
                if (posted.containsKey(d.reference())) {
                    charged.add(d);
                } else {
                    forTick.add(d.id());
                }
            }
            record(c, charged, posted, now);
            charged.forEach(d -> metrics.charged(java.time.Duration.between(d.dueAt(), now)));
            long lowBalanceMinutes = settings.get(Setting.LOW_BALANCE_MINUTES);
            for (Due d : charged) {
                announce(events, lowBalanceMinutes, d.userId(), d.id(), d.period(), d.amountCharged(), d.rate(),
                        posted.get(d.reference()).fromBalanceAfter(), d.nextDue());
            }
            return new Batch(due.size(), charged.size(), forTick);
        } catch (SQLException e) {
            throw new PersistenceException("billing batch failed", e);
        }
    }

    private static List<Due> claim(Connection c, Instant now, int limit) throws SQLException {
        List<Due> due = new ArrayList<>();
        try (PreparedStatement q = c.prepareStatement("""
                select s.id, s.user_id, w.id, s.rate_per_minute, s.periods_billed + 1, s.started_at, s.period_seconds, s.next_charge_at,
                       s.amount_charged + s.rate_per_minute
                from live_session s join ledger_account w on w.owner_id = s.user_id and w.kind = 'WALLET'
                where s.status = 'ACTIVE' and s.next_charge_at <= ? and s.periods_billed < s.max_periods and s.periods_billed >= s.free_periods
                order by s.next_charge_at limit ?
                for update of s skip locked""")) {
            q.setTimestamp(1, Timestamp.from(now));
            q.setInt(2, limit);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    due.add(new Due(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getObject(3, UUID.class),
                            rs.getLong(4), rs.getInt(5), rs.getTimestamp(6).toInstant(), rs.getInt(7), rs.getTimestamp(8).toInstant(),
                            rs.getLong(9)));
                }
            }
        }
        return due;
    }

    private static void record(Connection c, List<Due> charged, Map<String, Ledger.Posted> posted, Instant now) throws SQLException {
        if (charged.isEmpty()) {
            return;
        }
        Object[] ids = charged.stream().map(Due::id).toArray();
        try (PreparedStatement insert = c.prepareStatement("""
                insert into session_charge (session_id, period, amount, transfer_id, due_at, charged_at)
                select t.session_id, t.period, t.amount, t.transfer_id, t.due_at, ?
                from unnest(?::uuid[], ?::int[], ?::bigint[], ?::uuid[], ?::timestamptz[])
                     as t(session_id, period, amount, transfer_id, due_at)""")) {
            insert.setTimestamp(1, Timestamp.from(now));
            insert.setArray(2, c.createArrayOf("uuid", ids));
            insert.setArray(3, c.createArrayOf("int4", charged.stream().map(Due::period).toArray()));
            insert.setArray(4, c.createArrayOf("int8", charged.stream().map(Due::rate).toArray()));
            insert.setArray(5, c.createArrayOf("uuid", charged.stream().map(d -> posted.get(d.reference()).transferId()).toArray()));
            insert.setArray(6, c.createArrayOf("timestamptz", charged.stream().map(d -> Timestamp.from(d.dueAt())).toArray()));
            insert.executeUpdate();
        }
        // The schedule moves on from the start, not from now: period n is due at start + (n - 1) * period.
        try (PreparedStatement update = c.prepareStatement("""
                update live_session set periods_billed = periods_billed + 1, amount_charged = amount_charged + rate_per_minute,
                       next_charge_at = started_at + make_interval(secs => period_seconds * (periods_billed + 1))
                where id = any(?)""")) {
            update.setArray(1, c.createArrayOf("uuid", ids));
            update.executeUpdate();
        }
    }

    /** billing-update to the user after a period was paid, and a low-balance warning when few periods are left (after commit). */
    static void announce(LiveEvents events, long lowBalanceMinutes, UUID userId, UUID sessionId, int minutesBilled,
                         long amountCharged, long rate, long balance, Instant nextChargeAt) {
        Map<String, Object> update = frame("billing-update", sessionId);
        update.put("minutesBilled", minutesBilled);
        update.put("amountCharged", amountCharged);
        update.put("balance", balance);
        update.put("nextChargeAt", nextChargeAt.toString());
        events.publish(userId, update);
        long minutesLeft = balance / rate;
        if (minutesLeft < lowBalanceMinutes) {
            Map<String, Object> warning = frame("session-warning", sessionId);
            warning.put("kind", "low-balance");
            warning.put("minutesLeft", minutesLeft);
            events.publish(userId, warning);
        }
    }

    static Map<String, Object> frame(String type, UUID sessionId) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("type", type);
        f.put("sessionId", sessionId);
        return f;
    }
}
