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
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.List;
import java.util.UUID;

/**
 * Nightly settlement, one expert and business day at a time (the batch job's chunks call {@link #settleExperts}): the
 * net earnings of the expert's sessions that ended that day, and of its report orders settled that day (completed, or
 * cancelled with a part kept), move EARNINGS_PENDING → EARNINGS_AVAILABLE, and the day's statement records them. A
 * session or order settles once because its settlement line is unique per session and per order (a second run, or a
 * second node, inserts nothing and so moves nothing); a statement is unique per expert and day, and its
 * {@code sessions} counts its lines, orders included.
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

    /**
     * Experts with ended sessions of {@code day} not all settled yet, in id order, after {@code afterExpert} (null: from
     * the first). Compares per expert the day's ended sessions with the day's lines (two index-only scans; lines are
     * written only for sessions of their day) instead of probing the lines once per session.
     */
    @SuppressWarnings("unchecked")
    public List<UUID> expertsToSettle(LocalDate day, UUID afterExpert) {
        return em.createNativeQuery("""
                        select s.expert_id
                        from (select expert_id, sum(n) as n from (
                                  select expert_id, count(*) as n from live_session
                                  where status = 'ENDED' and ended_at >= ?1 and ended_at < ?2 and expert_id > ?3 group by expert_id
                                  union all
                                  select expert_id, count(*) from report_order
                                  where expert_net is not null and settled_at >= ?1 and settled_at < ?2 and expert_id > ?3 group by expert_id
                              ) u group by expert_id) s
                        left join (select expert_id, count(*) as n from settlement_line
                                   where business_date = ?4 and expert_id > ?3 group by expert_id) l on l.expert_id = s.expert_id
                        where l.n is null or l.n < s.n
                        order by s.expert_id""")
                .setParameter(1, startOf(day)).setParameter(2, startOf(day.plusDays(1)))
                .setParameter(3, afterExpert == null ? new UUID(0, 0) : afterExpert).setParameter(4, Date.valueOf(day))
                .getResultList().stream().map(UUID.class::cast).toList();
    }

    /**
     * Settles what is still unsettled of {@code experts}' {@code day} in the caller's transaction, set-based: one
     * statement inserts a line per session of all of them (gross = charged − refunded; net = what reached the expert's
     * pending earnings, less refunds taken back from them), one {@link Ledger#transferAll} moves each expert's net in one
     * SETTLEMENT transfer, one statement adds the lines to the day's statements.
     */
    @SuppressWarnings("unchecked")
    public List<Settled> settleExperts(List<UUID> experts, LocalDate day) {
        if (experts.isEmpty()) {
            return List.of();
        }
        Map<UUID, UUID> pending = ledger.accountsOf(experts, AccountKind.EARNINGS_PENDING);
        // The sessions about to be settled are locked first (in id order), in a statement of its own: a refund of one of
        // them, which locks its session too, either commits before the lines are computed (and is netted in them: the
        // insert below takes its snapshot after this lock, which one statement with a locking CTE would not) or waits
        // and then finds the session settled (and takes the expert's share from available earnings).
        em.createNativeQuery("""
                        select s.id from live_session s
                        where s.expert_id = any(cast(?1 as uuid[])) and s.status = 'ENDED' and s.ended_at >= ?2 and s.ended_at < ?3
                          and not exists (select 1 from settlement_line l where l.session_id = s.id)
                        order by s.id for update""")
                .setParameter(1, experts.toArray(UUID[]::new)).setParameter(2, startOf(day)).setParameter(3, startOf(day.plusDays(1)))
                .getResultList();
        // read after the lock: a refund netted in the lines was written before this instant, one after them after it
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        // The lines are summed per expert in the database: a chunk returns one row per expert, not one per session.
        List<Object[]> rows = em.createNativeQuery("""
                        with lines as (
                            insert into settlement_line (session_id, order_id, expert_id, business_date, gross, net, created_at)
                            select s.id, cast(null as uuid), s.expert_id, cast(?4 as date), s.amount_charged - s.amount_refunded,
                                   case when s.expert_net is not null then s.expert_net - s.expert_refunded
                                   else coalesce((select t.amount from ledger_transfer t where t.kind = 'SESSION_EARNING' and t.reference = s.id::text), 0)
                                        - case when s.amount_refunded = 0 then 0 else coalesce((select sum(r.amount) from ledger_transfer r
                                               join ledger_account p on p.id = r.from_account and p.owner_id = s.expert_id and p.kind = 'EARNINGS_PENDING'
                                               where r.kind = 'REFUND' and r.reference like s.id::text || ':refund:%'), 0) end
                                   end,
                                   cast(?5 as timestamptz)
                            from live_session s
                            where s.expert_id = any(cast(?1 as uuid[])) and s.status = 'ENDED' and s.ended_at >= ?2 and s.ended_at < ?3
                              and not exists (select 1 from settlement_line l where l.session_id = s.id)
                            union all
                            select cast(null as uuid), o.id, o.expert_id, cast(?4 as date), o.settled_gross, o.expert_net, cast(?5 as timestamptz)
                            from report_order o
                            where o.expert_id = any(cast(?1 as uuid[])) and o.expert_net is not null and o.settled_at >= ?2 and o.settled_at < ?3
                              and not exists (select 1 from settlement_line l where l.order_id = o.id)
                            on conflict do nothing
                            returning expert_id, gross, net, coalesce(session_id, order_id) as subject
                        )
                        select expert_id, count(*), sum(gross), sum(net), min(subject::text) from lines group by expert_id""")
                .setParameter(1, experts.toArray(UUID[]::new)).setParameter(2, startOf(day)).setParameter(3, startOf(day.plusDays(1)))
                .setParameter(4, Date.valueOf(day)).setParameter(5, Timestamp.from(now)).getResultList();
        Map<UUID, long[]> sums = new TreeMap<>();
        Map<UUID, String> firstSession = new HashMap<>();
        for (Object[] r : rows) {
            UUID expert = (UUID) r[0];
            sums.put(expert, new long[]{((Number) r[1]).longValue(), ((Number) r[2]).longValue(), ((Number) r[3]).longValue()});
            firstSession.put(expert, (String) r[4]);
        }
        if (sums.isEmpty()) {
            return List.of();
        }
        Map<UUID, UUID> available = ledger.accountsOf(sums.keySet(), AccountKind.EARNINGS_AVAILABLE);
        List<Ledger.Move> moves = new ArrayList<>();
        Map<UUID, String> references = new HashMap<>();
        sums.forEach((expert, s) -> {
            if (s[2] != 0) {
                // Named by the day and the first of its sessions: unique per run, as each session settles once.
                String reference = "settlement:" + expert + ":" + day + ":" + firstSession.get(expert);
                references.put(expert, reference);
                moves.add(new Ledger.Move(pending.get(expert), available.get(expert), s[2], reference));
            }
        });
        Map<String, Ledger.Posted> posted = ledger.transferAll(moves, TransferKind.SETTLEMENT);
        List<UUID> ids = new ArrayList<>(sums.keySet());
        String[] transferIds = ids.stream().map(e -> references.containsKey(e) ? "{" + posted.get(references.get(e)).transferId() + "}" : "{}")
                .toArray(String[]::new);
        em.createNativeQuery("""
                        insert into settlement_statement (expert_id, business_date, sessions, gross, fee, net, transfer_ids, created_at, updated_at)
                        select t.expert_id, ?1, t.sessions, t.gross, t.gross - t.net, t.net, cast(t.transfer_ids as uuid[]), ?2, ?2
                        from unnest(cast(?3 as uuid[]), cast(?4 as integer[]), cast(?5 as bigint[]), cast(?6 as bigint[]), cast(?7 as varchar[]))
                             as t(expert_id, sessions, gross, net, transfer_ids)
                        on conflict (expert_id, business_date) do update set sessions = settlement_statement.sessions + excluded.sessions,
                            gross = settlement_statement.gross + excluded.gross, fee = settlement_statement.fee + excluded.fee,
                            net = settlement_statement.net + excluded.net, revision = settlement_statement.revision + 1,
                            transfer_ids = settlement_statement.transfer_ids || excluded.transfer_ids, updated_at = excluded.updated_at""")
                .setParameter(1, Date.valueOf(day)).setParameter(2, Timestamp.from(now)).setParameter(3, ids.toArray(UUID[]::new))
                .setParameter(4, ids.stream().map(e -> (int) sums.get(e)[0]).toArray(Integer[]::new))
                .setParameter(5, ids.stream().map(e -> sums.get(e)[1]).toArray(Long[]::new))
                .setParameter(6, ids.stream().map(e -> sums.get(e)[2]).toArray(Long[]::new))
                .setParameter(7, transferIds).executeUpdate();
        return ids.stream().map(e -> new Settled(e, (int) sums.get(e)[0], sums.get(e)[1], sums.get(e)[2])).toList();
    }

    /**
     * Proves the day: no escrow left behind by a session that ended that day, the statements' totals equal the day's
     * lines and the lines cover every session that ended that day with what it charged, and the global ledger check.
     * The findings are stored for {@code executionId}.
     *
     * <p>The escrow proof reads the journal by range, not per session: the day's charges into SESSION_ESCROW (from the
     * earliest start among the day's sessions) and its payments out of it (from the day's start), each summed per
     * session in one pass over the escrow account's index, then compared with every session that ended that day.
     */
    public Reconciliation reconcile(LocalDate day, long executionId) {
        // Hash aggregates over a million sessions: give this transaction the memory to keep them off disk.
        em.createNativeQuery("set local work_mem = '256MB'").executeUpdate();
        List<String> findings = new ArrayList<>();
        List<?> residues = em.createNativeQuery("""
                        with day_sessions as materialized (
                            select s.id, s.started_at, s.expert_net from live_session s where s.status = 'ENDED' and s.ended_at >= ?1 and s.ended_at < ?2
                        ), charged as (
                            select split_part(t.reference, ':', 1) as session, sum(t.amount) as amount from ledger_transfer t
                            where t.to_account = ?3 and t.kind = 'SESSION_CHARGE' and t.created_at < ?4
                              and t.created_at >= (select min(started_at) from day_sessions) - interval '5 minutes'
                            group by 1
                        ), paid_out as (
                            select t.reference as session, sum(t.amount) as amount,
                                   sum(t.amount) filter (where t.kind = 'SESSION_EARNING') as earned from ledger_transfer t
                            where t.from_account = ?3 and t.kind in ('SESSION_EARNING', 'PLATFORM_FEE')
                              and t.created_at >= ?1 and t.created_at < ?4
                            group by 1
                        )
                        select d.id, coalesce(c.amount, 0) - coalesce(o.amount, 0), d.expert_net, coalesce(o.earned, 0)
                        from day_sessions d left join charged c on c.session = d.id::text left join paid_out o on o.session = d.id::text
                        where coalesce(c.amount, 0) <> coalesce(o.amount, 0) or d.expert_net <> coalesce(o.earned, 0)
                        order by d.id limit 20""")
                .setParameter(1, startOf(day)).setParameter(2, startOf(day.plusDays(1)))
                .setParameter(3, AccountKind.SESSION_ESCROW.systemId())
                .setParameter(4, Timestamp.from(calendar.startOf(day.plusDays(1)).plus(java.time.Duration.ofHours(1)))).getResultList();
        for (Object row : residues) {
            Object[] r = (Object[]) row;
            if (((Number) r[1]).longValue() != 0) {
                findings.add("escrow: session " + r[0] + " ended with " + r[1] + " paise left in SESSION_ESCROW");
            }
            if (r[2] != null && ((Number) r[2]).longValue() != ((Number) r[3]).longValue()) {
                findings.add("earnings: session " + r[0] + " records a net of " + r[2] + " paise but its SESSION_EARNING moved " + r[3]);
            }
        }
        List<?> refunds = em.createNativeQuery("""
                        select s.id, s.expert_refunded, t.taken from live_session s
                        cross join lateral (select coalesce(sum(r.amount), 0) as taken from ledger_transfer r
                             where r.kind = 'REFUND' and r.reference like s.id::text || ':refund:%'
                               and (r.reference like '%:platform' or exists (select 1 from ledger_account p where p.id = r.from_account
                                    and p.owner_id = s.expert_id and p.kind in ('EARNINGS_PENDING', 'EARNINGS_AVAILABLE')))) t
                        where s.status = 'ENDED' and s.ended_at >= ?1 and s.ended_at < ?2 and s.amount_refunded > 0
                          and s.expert_net is not null and s.expert_refunded <> t.taken
                        order by s.id limit 20""")
                .setParameter(1, startOf(day)).setParameter(2, startOf(day.plusDays(1))).getResultList();
        for (Object row : refunds) {
            Object[] r = (Object[]) row;
            findings.add("earnings: session " + r[0] + " records " + r[1] + " paise refunded from the expert but its REFUND transfers took " + r[2]);
        }
        List<?> orderResidues = em.createNativeQuery("""
                        select o.id, x.residue from report_order o
                        cross join lateral (
                            select coalesce(sum(case when t.to_account = ?3 then t.amount else -t.amount end), 0) as residue
                            from (values ('ORDER_PAYMENT', 'order:' || o.id), ('PROMOTION', 'order:' || o.id),
                                         ('REFUND', 'order:' || o.id || ':refund'), ('PROMOTION_RETURN', 'order:' || o.id),
                                         ('ORDER_EARNING', 'order:' || o.id), ('PLATFORM_FEE', 'order:' || o.id)) k(kind, reference)
                            join ledger_transfer t on t.kind = k.kind and t.reference = k.reference) x
                        where o.status in ('COMPLETED', 'CANCELLED') and coalesce(o.completed_at, o.cancelled_at) >= ?1
                          and coalesce(o.completed_at, o.cancelled_at) < ?2 and x.residue <> 0
                        order by o.id limit 20""")
                .setParameter(1, startOf(day)).setParameter(2, startOf(day.plusDays(1)))
                .setParameter(3, AccountKind.ORDER_ESCROW.systemId()).getResultList();
        for (Object row : orderResidues) {
            Object[] r = (Object[]) row;
            findings.add("escrow: order " + r[0] + " closed with " + r[1] + " paise left in ORDER_ESCROW");
        }
        // Lines are written only for sessions and orders of their business day, so the day's unsettled ones are the difference.
        // A line holds what was charged less what was refunded when it was written; refunds to the wallet after that (the
        // expert's share then comes from available earnings) are added back, so a late refund does not unbalance the day.
        Object[] totals = (Object[]) em.createNativeQuery("""
                        select (select coalesce(sum(s.amount_charged - s.amount_refunded
                                        + case when s.amount_refunded = 0 then 0 else coalesce((select sum(t.amount) from ledger_transfer t
                                              join settlement_line l on l.session_id = s.id
                                              where t.kind = 'REFUND' and t.reference like s.id::text || ':refund:%'
                                                and t.reference ~ ':refund:[0-9]+$' and t.created_at > l.created_at), 0) end), 0)
                                 from live_session s
                                 where s.status = 'ENDED' and s.ended_at >= ?1 and s.ended_at < ?2)
                               + (select coalesce(sum(o.settled_gross), 0) from report_order o
                                  where o.expert_net is not null and o.settled_at >= ?1 and o.settled_at < ?2),
                               (select count(*) from live_session s where s.status = 'ENDED' and s.ended_at >= ?1 and s.ended_at < ?2)
                               + (select count(*) from report_order o where o.expert_net is not null and o.settled_at >= ?1 and o.settled_at < ?2),
                               (select coalesce(sum(l.gross), 0) from settlement_line l where l.business_date = ?3),
                               (select count(*) from settlement_line l where l.business_date = ?3),
                               (select coalesce(sum(st.gross), 0) from settlement_statement st where st.business_date = ?3),
                               (select coalesce(sum(st.sessions), 0) from settlement_statement st where st.business_date = ?3)""")
                .setParameter(1, startOf(day)).setParameter(2, startOf(day.plusDays(1))).setParameter(3, Date.valueOf(day))
                .getSingleResult();
        long charged = ((Number) totals[0]).longValue();
        long sessions = ((Number) totals[1]).longValue();
        long lines = ((Number) totals[2]).longValue();
        long lineCount = ((Number) totals[3]).longValue();
        long statements = ((Number) totals[4]).longValue();
        long statementSessions = ((Number) totals[5]).longValue();
        if (lineCount < sessions) {
            findings.add("statements: " + (sessions - lineCount) + " session(s) or order(s) of that day are not settled");
        }
        if (charged != lines || lines != statements || lineCount != statementSessions) {
            findings.add("statements: the day's sessions and orders charged " + charged + " paise net of refunds, its lines hold " + lines
                    + " (" + lineCount + " lines) and its statements " + statements + " (" + statementSessions + " lines)");
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
