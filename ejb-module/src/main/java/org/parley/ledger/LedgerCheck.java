package org.parley.ledger;

import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Proves the ledger's invariants from the rows themselves: the balances of all accounts, each derived from its
 * transfers, sum to zero; every owned account's cached balance equals its derived balance; no owned account is
 * negative (at most 1,000 offending accounts are listed). Anyone with admin rights can run it at any time (GET /admin/ledger/check).
 */
@Stateless
public class LedgerCheck {

    @PersistenceContext(unitName = "parley")
    private EntityManager em;

    /** One account that breaks an invariant. */
    public record Mismatch(UUID accountId, String kind, UUID ownerId, long cachedBalance, long derivedBalance, String problem) {
    }

    public record Result(boolean balanced, long sum, long accounts, long transfers, List<Mismatch> mismatches) {
    }

    public Result run() {
        // Two hash aggregates over the whole journal: give this transaction the memory to keep them off disk.
        em.createNativeQuery("set local work_mem = '256MB'").executeUpdate();
        List<?> rows = em.createNativeQuery("""
                        with incoming as (
                            select to_account as account, sum(amount) as total, count(*) as n from ledger_transfer group by to_account
                        ), outgoing as (
                            select from_account as account, sum(amount) as total from ledger_transfer group by from_account
                        ), derived as materialized (
                            select a.id, a.kind, a.owner_id, a.balance as cached,
                                   coalesce(i.total, 0) - coalesce(o.total, 0) as derived, coalesce(i.n, 0) as n
                            from ledger_account a left join incoming i on i.account = a.id left join outgoing o on o.account = a.id
                        )
                        select 'T', null, null, null, count(*), sum(derived), sum(n) from derived
                        union all
                        (select 'M', id, kind, owner_id, cached, derived, null from derived
                         where owner_id is not null and (cached <> derived or derived < 0) order by id limit 1000)
                        """).getResultList();
        long accounts = 0;
        long sum = 0;
        long transfers = 0;
        List<Mismatch> mismatches = new ArrayList<>();
        for (Object row : rows) {
            Object[] r = (Object[]) row;
            if ("T".equals(r[0].toString())) {
                accounts = ((Number) r[4]).longValue();
                sum = r[5] == null ? 0 : ((Number) r[5]).longValue();
                transfers = r[6] == null ? 0 : ((Number) r[6]).longValue();
                continue;
            }
            UUID owner = (UUID) r[3];
            long cached = ((Number) r[4]).longValue();
            long derived = ((Number) r[5]).longValue();
            if (cached != derived) {
                mismatches.add(new Mismatch((UUID) r[1], (String) r[2], owner, cached, derived, "cached balance differs from transfers"));
            }
            if (derived < 0) {
                mismatches.add(new Mismatch((UUID) r[1], (String) r[2], owner, cached, derived, "owned account is negative"));
            }
        }
        return new Result(sum == 0 && mismatches.isEmpty(), sum, accounts, transfers, mismatches);
    }
}
