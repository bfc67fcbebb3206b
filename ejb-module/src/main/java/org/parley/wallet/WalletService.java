package org.parley.wallet;

import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.TypedQuery;
import org.parley.audit.AuditLog;
import org.parley.common.Page;
import org.parley.common.PageRequest;
import org.parley.common.Problems;
import org.parley.identity.Account;
import org.parley.identity.Caller;
import org.parley.ledger.AccountKind;
import org.parley.ledger.Ledger;
import org.parley.ledger.Transfer;
import org.parley.ledger.TransferKind;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A person's wallet: balance, transaction history, and admins' adjustments. */
@Stateless
public class WalletService {

    @PersistenceContext(unitName = "parley")
    private EntityManager em;
    @Inject
    private Ledger ledger;
    @Inject
    private AuditLog audit;

    public record Balance(long balance, String currency) {
    }

    /** One line of the history, from the wallet's point of view. */
    public record Transaction(UUID id, TransferKind type, long amount, String direction, long balanceAfter,
                              String reference, Instant createdAt) {
    }

    public Balance balance(Caller caller) {
        return new Balance(ledger.balanceOf(caller.id(), AccountKind.WALLET), "INR");
    }

    /** The caller's wallet movements, newest first, optionally of one type and within [from, to). */
    public Page<Transaction> transactions(Caller caller, TransferKind type, Instant from, Instant to, PageRequest page) {
        UUID wallet = ledger.accountOf(caller.id(), AccountKind.WALLET);
        String where = " where (t.fromAccount = :w or t.toAccount = :w)"
                + (type == null ? "" : " and t.kind = :type")
                + (from == null ? "" : " and t.createdAt >= :from")
                + (to == null ? "" : " and t.createdAt < :to");
        TypedQuery<Transfer> q = em.createQuery("select t from Transfer t" + where + " order by t.createdAt desc, t.id", Transfer.class);
        TypedQuery<Long> count = em.createQuery("select count(t) from Transfer t" + where, Long.class);
        for (TypedQuery<?> query : List.of(q, count)) {
            query.setParameter("w", wallet);
            if (type != null) {
                query.setParameter("type", type);
            }
            if (from != null) {
                query.setParameter("from", from);
            }
            if (to != null) {
                query.setParameter("to", to);
            }
        }
        List<Transaction> items = q.setFirstResult(page.offset()).setMaxResults(page.size()).getResultStream()
                .map(t -> t.toAccount().equals(wallet)
                        ? new Transaction(t.id(), t.kind(), t.amount(), "CREDIT", t.toBalanceAfter(), t.reference(), t.createdAt())
                        : new Transaction(t.id(), t.kind(), t.amount(), "DEBIT", t.fromBalanceAfter(), t.reference(), t.createdAt()))
                .toList();
        return new Page<>(items, page.page(), page.size(), count.getSingleResult());
    }

    /** The outcome of an adjustment: which account, by how much, and its balance after. */
    public record Adjustment(UUID id, UUID accountId, AccountKind account, long amount, String reason, long balanceAfter) {
    }

    /**
     * Admins credit (positive) or debit (negative) an owned account of {@code ownerId} — its WALLET, or an expert's
     * EARNINGS_AVAILABLE — against the ADJUSTMENTS account. A debit cannot overdraw (422). Audited.
     */
    public Adjustment adjust(UUID ownerId, AccountKind kind, long amount, String reason, Caller admin) {
        if (kind != AccountKind.WALLET && kind != AccountKind.EARNINGS_AVAILABLE) {
            throw Problems.rule("account-not-adjustable", "only WALLET and EARNINGS_AVAILABLE can be adjusted");
        }
        if (amount == 0) {
            throw Problems.rule("zero-adjustment", "an adjustment moves a non-zero amount");
        }
        if (em.find(Account.class, ownerId) == null) {
            throw Problems.notFound("account");
        }
        UUID target = ledger.accountOf(ownerId, kind);
        UUID id = UUID.randomUUID();
        UUID pool = AccountKind.ADJUSTMENTS.systemId();
        Ledger.Posted posted = amount > 0
                ? ledger.transfer(pool, target, amount, TransferKind.ADJUSTMENT, id.toString())
                : ledger.transfer(target, pool, -amount, TransferKind.ADJUSTMENT, id.toString());
        long after = amount > 0 ? posted.toBalanceAfter() : posted.fromBalanceAfter();
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("account", kind.name());
        meta.put("amount", amount);
        meta.put("reason", reason);
        meta.put("transferId", posted.transferId().toString());
        audit.record(admin, "BALANCE_ADJUSTED", "ACCOUNT", ownerId, meta);
        return new Adjustment(id, ownerId, kind, amount, reason, after);
    }
}
