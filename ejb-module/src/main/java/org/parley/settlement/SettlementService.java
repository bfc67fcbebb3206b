package org.parley.settlement;

import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import org.parley.common.BusinessCalendar;
import org.parley.identity.Caller;
import org.parley.ledger.AccountKind;
import org.parley.ledger.Ledger;
import org.parley.ledger.LedgerCheck;
import org.parley.ledger.TransferKind;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Nightly settlement, one expert and business day at a time (the batch job's chunks call {@link #settleExpert}): the
 * net earnings of the expert's sessions that ended that day move EARNINGS_PENDING → EARNINGS_AVAILABLE, and the
 * day's statement records them. A session settles once because its settlement line's primary key is the session
 * (a second run, or a second node, inserts nothing and so moves nothing); a statement is unique per expert and day.
 * The business day is a day of the {@link BusinessCalendar}.
 */
@Stateless
public class SettlementService {

    @PersistenceContext(unitName = "parley")
    private EntityManager em;
    @Inject
    private Ledger ledger;
    @Inject
    private LedgerCheck ledgerCheck;
    @Inject
    private Clock clock;
    @Inject
    private BusinessCalendar calendar;

    /** What settling one expert's day did (zeros when there was nothing left to settle). */
    public record Settled(UUID expertId, int sessions, long gross, long net) {
    }

    /** One statement line as clients see it. */
    public record Statement(UUID expertId, LocalDate businessDate, int sessions, long gross, long fee, long net) {
    }

    /** The reconciliation of a day: balanced or not, and what was found. */
    public record Reconciliation(LocalDate businessDate, boolean balanced, List<String> findings) {
    }

    private Timestamp startOf(LocalDate day) {
        return Timestamp.from(calendar.startOf(day));
    }

    /** Experts with ended sessions of {@code day} not settled yet, in id order, after {@code afterExpert} (null: from the first). */
    @SuppressWarnings("unchecked")
    public List<UUID> expertsToSettle(LocalDate day, UUID afterExpert) {
        return em.createNativeQuery("""
                        select distinct s.expert_id from live_session s
                        where s.status = 'ENDED' and s.ended_at >= ?1 and s.ended_at < ?2 and s.expert_id > ?3
                          and not exists (select 1 from settlement_line l where l.session_id = s.id)
                        order by s.expert_id""")
                .setParameter(1, startOf(day)).setParameter(2, startOf(day.plusDays(1)))
                .setParameter(3, afterExpert == null ? new UUID(0, 0) : afterExpert)
                .getResultList().stream().map(UUID.class::cast).toList();
    }

    /**
     * Settles what is still unsettled of {@code expertId}'s {@code day}, in the caller's transaction: inserts a line per
     * session (gross = charged − refunded; net = what reached the expert's pending earnings, less refunds taken back
     * from them), adds the lines to the day's statement, and moves their net in one SETTLEMENT transfer.
     */
    public Settled settleExpert(UUID expertId, LocalDate day) {
        UUID pending = ledger.accountOf(expertId, AccountKind.EARNINGS_PENDING);
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        List<?> rows = em.createNativeQuery("""
                        insert into settlement_line (session_id, expert_id, business_date, gross, net, created_at)
                        select s.id, s.expert_id, ?4, s.amount_charged - s.amount_refunded,
                               coalesce((select t.amount from ledger_transfer t where t.kind = 'SESSION_EARNING' and t.reference = s.id::text), 0)
                               - case when s.amount_refunded = 0 then 0 else coalesce((select sum(r.amount) from ledger_transfer r
                                      where r.kind = 'REFUND' and r.from_account = ?5 and r.reference like s.id::text || ':refund:%'), 0) end,
                               ?6
                        from live_session s
                        where s.expert_id = ?1 and s.status = 'ENDED' and s.ended_at >= ?2 and s.ended_at < ?3
                          and not exists (select 1 from settlement_line l where l.session_id = s.id)
                        on conflict (session_id) do nothing
                        returning gross, net, session_id""")
                .setParameter(1, expertId).setParameter(2, startOf(day)).setParameter(3, startOf(day.plusDays(1)))
                .setParameter(4, Date.valueOf(day)).setParameter(5, pending).setParameter(6, Timestamp.from(now))
                .getResultList();
        if (rows.isEmpty()) {
            return new Settled(expertId, 0, 0, 0);
        }
        long gross = 0;
        long net = 0;
        String first = null;
        for (Object row : rows) {
            Object[] r = (Object[]) row;
            gross += ((Number) r[0]).longValue();
            net += ((Number) r[1]).longValue();
            String session = r[2].toString();
            first = first == null || session.compareTo(first) < 0 ? session : first;
        }
        // The transfer is named by the day and the first of its sessions: unique per run, as each session settles once.
        UUID[] transfers = net == 0 ? new UUID[0] : new UUID[]{ledger.transfer(pending, ledger.accountOf(expertId, AccountKind.EARNINGS_AVAILABLE),
                net, TransferKind.SETTLEMENT, "settlement:" + expertId + ":" + day + ":" + first).transferId()};
        em.createNativeQuery("""
                        insert into settlement_statement (expert_id, business_date, sessions, gross, fee, net, transfer_ids, created_at, updated_at)
                        values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)
                        on conflict (expert_id, business_date) do update set sessions = settlement_statement.sessions + excluded.sessions,
                            gross = settlement_statement.gross + excluded.gross, fee = settlement_statement.fee + excluded.fee,
                            net = settlement_statement.net + excluded.net, revision = settlement_statement.revision + 1,
                            transfer_ids = settlement_statement.transfer_ids || excluded.transfer_ids, updated_at = excluded.updated_at""")
                .setParameter(1, expertId).setParameter(2, Date.valueOf(day)).setParameter(3, rows.size()).setParameter(4, gross)
                .setParameter(5, gross - net).setParameter(6, net).setParameter(7, transfers).setParameter(8, Timestamp.from(now))
                .executeUpdate();
        return new Settled(expertId, rows.size(), gross, net);
    }

    /**
     * Proves the day: no escrow left behind by a session that ended that day, the statements' totals equal the day's
     * lines and the lines cover every session that ended that day with what it charged, and the global ledger check.
     * The findings are stored for {@code executionId}.
     */
    public Reconciliation reconcile(LocalDate day, long executionId) {
        List<String> findings = new ArrayList<>();
        List<?> residues = em.createNativeQuery("""
                        select s.id, c.charged - o.settled
                        from live_session s
                        cross join lateral (select coalesce(sum(t.amount), 0) as charged from session_charge sc
                                            join ledger_transfer t on t.id = sc.transfer_id where sc.session_id = s.id) c
                        cross join lateral (select coalesce(sum(t.amount), 0) as settled from ledger_transfer t
                                            where t.kind in ('SESSION_EARNING', 'PLATFORM_FEE') and t.reference = s.id::text) o
                        where s.status = 'ENDED' and s.ended_at >= ?1 and s.ended_at < ?2 and c.charged <> o.settled
                        order by s.id limit 20""")
                .setParameter(1, startOf(day)).setParameter(2, startOf(day.plusDays(1))).getResultList();
        for (Object row : residues) {
            Object[] r = (Object[]) row;
            findings.add("escrow: session " + r[0] + " ended with " + r[1] + " paise left in SESSION_ESCROW");
        }
        Object[] totals = (Object[]) em.createNativeQuery("""
                        select (select coalesce(sum(s.amount_charged - s.amount_refunded), 0) from live_session s
                                 where s.status = 'ENDED' and s.ended_at >= ?1 and s.ended_at < ?2),
                               (select coalesce(sum(l.gross), 0) from settlement_line l where l.business_date = ?3),
                               (select coalesce(sum(st.gross), 0) from settlement_statement st where st.business_date = ?3),
                               (select count(*) from live_session s where s.status = 'ENDED' and s.ended_at >= ?1 and s.ended_at < ?2
                                  and not exists (select 1 from settlement_line l where l.session_id = s.id))""")
                .setParameter(1, startOf(day)).setParameter(2, startOf(day.plusDays(1))).setParameter(3, Date.valueOf(day))
                .getSingleResult();
        long charged = ((Number) totals[0]).longValue();
        long lines = ((Number) totals[1]).longValue();
        long statements = ((Number) totals[2]).longValue();
        long unsettled = ((Number) totals[3]).longValue();
        if (unsettled > 0) {
            findings.add("statements: " + unsettled + " session(s) that ended that day are not settled");
        }
        if (charged != lines || lines != statements) {
            findings.add("statements: the day's sessions charged " + charged + " paise net of refunds, its lines hold " + lines
                    + " and its statements " + statements);
        }
        LedgerCheck.Result check = ledgerCheck.run();
        if (!check.balanced()) {
            findings.add("ledger: check failed (sum " + check.sum() + ", " + check.mismatches().size() + " mismatched account(s))");
        }
        em.createNativeQuery("""
                        insert into settlement_reconciliation (execution_id, business_date, balanced, findings, created_at) values (?1, ?2, ?3, ?4, ?5)
                        on conflict (execution_id, business_date) do update set balanced = excluded.balanced, findings = excluded.findings,
                            created_at = excluded.created_at""")
                .setParameter(1, executionId).setParameter(2, Date.valueOf(day)).setParameter(3, findings.isEmpty())
                .setParameter(4, String.join("\n", findings)).setParameter(5, Timestamp.from(clock.instant())).executeUpdate();
        return new Reconciliation(day, findings.isEmpty(), findings);
    }

    /** The statements of {@code day}: an expert sees their own, an admin everyone's. */
    @SuppressWarnings("unchecked")
    public List<Statement> statements(Caller caller, LocalDate day) {
        String mine = caller.isAdmin() ? "" : " and expert_id = ?2";
        var q = em.createNativeQuery("select expert_id, business_date, sessions, gross, fee, net from settlement_statement"
                + " where business_date = ?1" + mine + " order by expert_id").setParameter(1, Date.valueOf(day));
        if (!caller.isAdmin()) {
            q.setParameter(2, caller.id());
        }
        return ((List<Object[]>) q.getResultList()).stream().map(r -> new Statement((UUID) r[0], ((Date) r[1]).toLocalDate(),
                ((Number) r[2]).intValue(), ((Number) r[3]).longValue(), ((Number) r[4]).longValue(), ((Number) r[5]).longValue())).toList();
    }
}
