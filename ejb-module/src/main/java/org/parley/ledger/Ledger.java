package org.parley.ledger;

import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import org.parley.common.Problems;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/**
 * The only code that moves money. A transfer joins the caller's transaction, so it happens whole with the business
 * change that caused it or not at all.
 *
 * <p>Invariants, enforced where races cannot break them: an owned account is debited by a conditional update
 * ({@code balance >= amount}) backed by a check constraint, so it is never overdrawn under any concurrency; the two
 * owned rows of a transfer are updated in ascending id order, so opposite transfers cannot deadlock; system
 * accounts are never updated (their balance is derived from the journal), so they are no hot row; a (kind,
 * reference) pair is unique, so one business event cannot move its money twice.
 */
@Stateless
public class Ledger {

    @PersistenceContext(unitName = "parley")
    private EntityManager em;

    @Inject
    private Clock clock;

    /** What a transfer left behind: its id and the owned sides' balances after it (null for system sides). */
    public record Posted(UUID transferId, Long fromBalanceAfter, Long toBalanceAfter) {
    }

    /** The id of {@code owner}'s account of an owned kind, opening it if it does not exist yet. */
    public UUID accountOf(UUID owner, AccountKind kind) {
        if (kind.isSystem()) {
            throw new IllegalArgumentException(kind + " is a system account");
        }
        em.createNativeQuery("insert into ledger_account (id, kind, owner_id) values (?1, ?2, ?3) on conflict do nothing")
                .setParameter(1, UUID.randomUUID()).setParameter(2, kind.name()).setParameter(3, owner).executeUpdate();
        return (UUID) em.createNativeQuery("select id from ledger_account where owner_id = ?1 and kind = ?2")
                .setParameter(1, owner).setParameter(2, kind.name()).getSingleResult();
    }

    /** The cached balance of an owned account (0 if it was never opened). */
    public long balanceOf(UUID owner, AccountKind kind) {
        List<?> rows = em.createNativeQuery("select balance from ledger_account where owner_id = ?1 and kind = ?2")
                .setParameter(1, owner).setParameter(2, kind.name()).getResultList();
        return rows.isEmpty() ? 0 : ((Number) rows.get(0)).longValue();
    }

    /** The cached balance of an owned account by its id. */
    public long balanceOfAccount(UUID accountId) {
        return ((Number) em.createNativeQuery("select balance from ledger_account where id = ?1")
                .setParameter(1, accountId).getSingleResult()).longValue();
    }

    /**
     * Moves {@code amount} paise from one account to another. Refuses (422 {@code insufficient-funds}, the whole
     * transaction rolls back) if an owned source holds less than {@code amount}.
     */
    public Posted transfer(UUID from, UUID to, long amount, TransferKind kind, String reference) {
        return post(from, to, amount, kind, reference, null);
    }

    /** A compensating transfer: moves money back along {@code original}'s path and names it. */
    public Posted correct(Transfer original, long amount, TransferKind kind, String reference) {
        return post(original.toAccount(), original.fromAccount(), amount, kind, reference, original.id());
    }

    private Posted post(UUID from, UUID to, long amount, TransferKind kind, String reference, UUID corrects) {
        if (amount <= 0 || from.equals(to)) {
            throw new IllegalArgumentException("a transfer moves a positive amount between two accounts");
        }
        Long fromAfter = null;
        Long toAfter = null;
        boolean fromOwned = !AccountKind.isSystemAccount(from);
        boolean toOwned = !AccountKind.isSystemAccount(to);
        if (fromOwned && toOwned && to.compareTo(from) < 0) {
            toAfter = credit(to, amount);
            fromAfter = debit(from, amount);
        } else {
            fromAfter = fromOwned ? debit(from, amount) : null;
            toAfter = toOwned ? credit(to, amount) : null;
        }
        UUID id = UUID.randomUUID();
        em.createNativeQuery("""
                        insert into ledger_transfer (id, from_account, to_account, amount, kind, reference, corrects,
                                                     from_balance_after, to_balance_after, created_at)
                        values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
                        """)
                .setParameter(1, id).setParameter(2, from).setParameter(3, to).setParameter(4, amount)
                .setParameter(5, kind.name()).setParameter(6, reference).setParameter(7, corrects)
                .setParameter(8, fromAfter).setParameter(9, toAfter)
                .setParameter(10, Timestamp.from(now())).executeUpdate();
        return new Posted(id, fromAfter, toAfter);
    }

    private long debit(UUID account, long amount) {
        List<?> rows = em.createNativeQuery(
                        "update ledger_account set balance = balance - ?1 where id = ?2 and balance >= ?1 returning balance")
                .setParameter(1, amount).setParameter(2, account).getResultList();
        if (rows.isEmpty()) {
            throw Problems.rule("insufficient-funds", "the balance does not cover " + amount + " paise");
        }
        return ((Number) rows.get(0)).longValue();
    }

    private long credit(UUID account, long amount) {
        List<?> rows = em.createNativeQuery("update ledger_account set balance = balance + ?1 where id = ?2 returning balance")
                .setParameter(1, amount).setParameter(2, account).getResultList();
        if (rows.isEmpty()) {
            throw new IllegalStateException("no ledger account " + account);
        }
        return ((Number) rows.get(0)).longValue();
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
