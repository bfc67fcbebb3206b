package org.parley.ledger;

import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.PersistenceException;
import org.parley.common.Problems;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
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

    @Resource(lookup = "java:jboss/datasources/ParleyDS")
    private DataSource dataSource;

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
        List<?> existing = em.createNativeQuery("select id from ledger_account where owner_id = ?1 and kind = ?2")
                .setParameter(1, owner).setParameter(2, kind.name()).getResultList();
        if (!existing.isEmpty()) {
            return (UUID) existing.get(0);
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

    /**
     * Like {@link #transfer} from an owned account to a system account, but an uncovered amount is an ordinary
     * outcome: returns null and changes nothing, leaving the caller's transaction usable (a billing tick records the
     * grace period instead of rolling back).
     */
    public Posted tryTransfer(UUID from, UUID to, long amount, TransferKind kind, String reference) {
        if (!AccountKind.isSystemAccount(to)) {
            throw new IllegalArgumentException("tryTransfer pays into a system account");
        }
        try (Connection c = dataSource.getConnection()) {
            Long after = debitIfCovered(c, from, amount);
            return after == null ? null : insertTransfer(c, from, to, amount, kind, reference, null, after, null);
        } catch (SQLException e) {
            throw new PersistenceException("ledger transfer failed", e);
        }
    }

    /** A compensating transfer: moves money back along {@code original}'s path and names it. */
    public Posted correct(Transfer original, long amount, TransferKind kind, String reference) {
        return post(original.toAccount(), original.fromAccount(), amount, kind, reference, original.id());
    }

    private Posted post(UUID from, UUID to, long amount, TransferKind kind, String reference, UUID corrects) {
        if (amount <= 0 || from.equals(to)) {
            throw new IllegalArgumentException("a transfer moves a positive amount between two accounts");
        }
        boolean fromOwned = !AccountKind.isSystemAccount(from);
        boolean toOwned = !AccountKind.isSystemAccount(to);
        // Plain JDBC on the transaction's own connection: the hot path of every charge, without ORM overhead.
        try (Connection c = dataSource.getConnection()) {
            Long fromAfter;
            Long toAfter;
            if (fromOwned && toOwned && to.compareTo(from) < 0) {
                toAfter = credit(c, to, amount);
                fromAfter = debit(c, from, amount);
            } else {
                fromAfter = fromOwned ? debit(c, from, amount) : null;
                toAfter = toOwned ? credit(c, to, amount) : null;
            }
            return insertTransfer(c, from, to, amount, kind, reference, corrects, fromAfter, toAfter);
        } catch (SQLException e) {
            throw new PersistenceException("ledger transfer failed", e);
        }
    }

    private Posted insertTransfer(Connection c, UUID from, UUID to, long amount, TransferKind kind, String reference,
                                  UUID corrects, Long fromAfter, Long toAfter) throws SQLException {
        UUID id = UUID.randomUUID();
        try (PreparedStatement insert = c.prepareStatement(INSERT_TRANSFER)) {
            insert.setObject(1, id);
            insert.setObject(2, from);
            insert.setObject(3, to);
            insert.setLong(4, amount);
            insert.setString(5, kind.name());
            insert.setString(6, reference);
            insert.setObject(7, corrects, Types.OTHER);
            insert.setObject(8, fromAfter, Types.BIGINT);
            insert.setObject(9, toAfter, Types.BIGINT);
            insert.setTimestamp(10, Timestamp.from(now()));
            insert.executeUpdate();
        }
        return new Posted(id, fromAfter, toAfter);
    }

    private static final String INSERT_TRANSFER = """
            insert into ledger_transfer (id, from_account, to_account, amount, kind, reference, corrects,
                                         from_balance_after, to_balance_after, created_at)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """;

    private static long debit(Connection c, UUID account, long amount) throws SQLException {
        Long after = debitIfCovered(c, account, amount);
        if (after == null) {
            throw Problems.rule("insufficient-funds", "the balance does not cover " + amount + " paise");
        }
        return after;
    }

    /** The conditional debit: the new balance, or null (and no change) if the balance does not cover {@code amount}. */
    private static Long debitIfCovered(Connection c, UUID account, long amount) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "update ledger_account set balance = balance - ? where id = ? and balance >= ? returning balance")) {
            s.setLong(1, amount);
            s.setObject(2, account);
            s.setLong(3, amount);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getLong(1) : null;
            }
        }
    }

    private static long credit(Connection c, UUID account, long amount) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("update ledger_account set balance = balance + ? where id = ? returning balance")) {
            s.setLong(1, amount);
            s.setObject(2, account);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("no ledger account " + account);
                }
                return rs.getLong(1);
            }
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
