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
 * negative. Anyone with admin rights can run it at any time (GET /admin/ledger/check).
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
        List<?> rows = em.createNativeQuery("""
                        with flows as (
                            select to_account as account, amount from ledger_transfer
                            union all
                            select from_account, -amount from ledger_transfer
                        ), derived as (
                            select account, sum(amount) as total from flows group by account
                        )
                        select a.id, a.kind, a.owner_id, a.balance, coalesce(d.total, 0)
                        from ledger_account a left join derived d on d.account = a.id
                        """).getResultList();
        long sum = 0;
        List<Mismatch> mismatches = new ArrayList<>();
        for (Object row : rows) {
            Object[] r = (Object[]) row;
            UUID owner = (UUID) r[2];
            long cached = ((Number) r[3]).longValue();
            long derived = ((Number) r[4]).longValue();
            sum += derived;
            if (owner != null && cached != derived) {
                mismatches.add(new Mismatch((UUID) r[0], (String) r[1], owner, cached, derived, "cached balance differs from transfers"));
            }
            if (owner != null && derived < 0) {
                mismatches.add(new Mismatch((UUID) r[0], (String) r[1], owner, cached, derived, "owned account is negative"));
            }
        }
        long transfers = ((Number) em.createNativeQuery("select count(*) from ledger_transfer").getSingleResult()).longValue();
        return new Result(sum == 0 && mismatches.isEmpty(), sum, rows.size(), transfers, mismatches);
    }
}
