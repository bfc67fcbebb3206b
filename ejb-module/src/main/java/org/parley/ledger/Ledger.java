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
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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

    /** {@link #accountOf} for many owners at once: owner → account id, opening the missing ones. */
    @SuppressWarnings("unchecked")
    public Map<UUID, UUID> accountsOf(Collection<UUID> owners, AccountKind kind) {
        if (kind.isSystem()) {
            throw new IllegalArgumentException(kind + " is a system account");
        }
        UUID[] ids = owners.toArray(UUID[]::new);
        em.createNativeQuery("""
                        insert into ledger_account (id, kind, owner_id)
                        select gen_random_uuid(), ?1, o from unnest(cast(?2 as uuid[])) o
                        where not exists (select 1 from ledger_account a where a.owner_id = o and a.kind = ?1)
                        on conflict do nothing""").setParameter(1, kind.name()).setParameter(2, ids).executeUpdate();
        Map<UUID, UUID> out = new HashMap<>();
        for (Object[] r : (List<Object[]>) em.createNativeQuery("select owner_id, id from ledger_account where owner_id = any(cast(?1 as uuid[])) and kind = ?2")
                .setParameter(1, ids).setParameter(2, kind.name()).getResultList()) {
            out.put((UUID) r[0], (UUID) r[1]);
        }
        return out;
    }

    /** One move of a set between two owned accounts, named by {@code reference}. */
    public record Move(UUID from, UUID to, long amount, String reference) {
    }

    /**
     * Set-based {@link #transfer} between owned accounts: every move or none (a move its source cannot cover is 422
     * {@code insufficient-funds} and the caller's transaction rolls back). Four statements whatever the number of moves:
     * all rows locked in ascending id order (so this cannot deadlock with {@link #transfer}), the sources debited by the
     * same conditional update ({@code balance >= amount}), the destinations credited, the transfers inserted. Every
     * account may appear in one move only. Returns what was posted, by reference.
     */
    public Map<String, Posted> transferAll(List<Move> moves, TransferKind kind) {
        Map<UUID, Move> bySource = new HashMap<>();
        Map<UUID, Move> byDestination = new HashMap<>();
        for (Move m : moves) {
            if (m.amount() <= 0 || AccountKind.isSystemAccount(m.from()) || AccountKind.isSystemAccount(m.to())
                    || bySource.put(m.from(), m) != null || byDestination.put(m.to(), m) != null) {
                throw new IllegalArgumentException("moves take positive amounts between distinct owned accounts");
            }
        }
        if (bySource.keySet().stream().anyMatch(byDestination::containsKey)) {
            throw new IllegalArgumentException("an account is both a source and a destination");
        }
        Map<String, Posted> posted = new HashMap<>();
        if (moves.isEmpty()) {
            return posted;
        }
        UUID[] all = java.util.stream.Stream.concat(bySource.keySet().stream(), byDestination.keySet().stream()).sorted().toArray(UUID[]::new);
        UUID[] froms = moves.stream().map(Move::from).toArray(UUID[]::new);
        UUID[] tos = moves.stream().map(Move::to).toArray(UUID[]::new);
        Long[] amounts = moves.stream().map(Move::amount).toArray(Long[]::new);
        Map<UUID, Long> fromAfter = new HashMap<>();
        Map<UUID, Long> toAfter = new HashMap<>();
        try (Connection c = dataSource.getConnection()) {
            lockInIdOrder(c, all);
            updateAll(c, DEBIT_ALL, froms, amounts, fromAfter);
            if (fromAfter.size() != moves.size()) {
                throw Problems.rule("insufficient-funds", (moves.size() - fromAfter.size()) + " of " + moves.size()
                        + " source balance(s) do not cover their moves");
            }
            updateAll(c, "update ledger_account a set balance = a.balance + d.amount from unnest(?::uuid[], ?::bigint[]) as d(id, amount)"
                    + " where a.id = d.id returning a.id, a.balance", tos, amounts, toAfter);
            if (toAfter.size() != moves.size()) {
                throw new IllegalStateException("a destination ledger account does not exist");
            }
            UUID[] ids = new UUID[moves.size()];
            Long[] fromBalances = new Long[moves.size()];
            Long[] toBalances = new Long[moves.size()];
            String[] references = new String[moves.size()];
            for (int i = 0; i < moves.size(); i++) {
                Move m = moves.get(i);
                ids[i] = UUID.randomUUID();
                fromBalances[i] = fromAfter.get(m.from());
                toBalances[i] = toAfter.get(m.to());
                references[i] = m.reference();
                posted.put(m.reference(), new Posted(ids[i], fromBalances[i], toBalances[i]));
            }
            try (PreparedStatement insert = c.prepareStatement("""
                    insert into ledger_transfer (id, from_account, to_account, amount, kind, reference, from_balance_after, to_balance_after, created_at)
                    select t.id, t.from_account, t.to_account, t.amount, ?, t.reference, t.from_after, t.to_after, ?
                    from unnest(?::uuid[], ?::uuid[], ?::uuid[], ?::bigint[], ?::varchar[], ?::bigint[], ?::bigint[])
                         as t(id, from_account, to_account, amount, reference, from_after, to_after)""")) {
                insert.setString(1, kind.name());
                insert.setTimestamp(2, Timestamp.from(now()));
                insert.setArray(3, c.createArrayOf("uuid", ids));
                insert.setArray(4, c.createArrayOf("uuid", froms));
                insert.setArray(5, c.createArrayOf("uuid", tos));
                insert.setArray(6, c.createArrayOf("bigint", amounts));
                insert.setArray(7, c.createArrayOf("varchar", references));
                insert.setArray(8, c.createArrayOf("bigint", fromBalances));
                insert.setArray(9, c.createArrayOf("bigint", toBalances));
                insert.executeUpdate();
            }
            return posted;
        } catch (SQLException e) {
            throw new PersistenceException("ledger transfers failed", e);
        }
    }

    /** The set-based conditional debit: each row by its amount where the balance covers it; returns (id, balance after). */
    private static final String DEBIT_ALL = "update ledger_account a set balance = a.balance - d.amount"
            + " from unnest(?::uuid[], ?::bigint[]) as d(id, amount) where a.id = d.id and a.balance >= d.amount returning a.id, a.balance";

    /** Locks the rows of {@code accounts} (sorted) in ascending id order, so set-based and single transfers cannot deadlock. */
    private static void lockInIdOrder(Connection c, UUID[] accounts) throws SQLException {
        try (PreparedStatement lock = c.prepareStatement("select id from ledger_account where id = any(?) order by id for update")) {
            lock.setArray(1, c.createArrayOf("uuid", accounts));
            lock.executeQuery().close();
        }
    }

    private static void updateAll(Connection c, String sql, UUID[] accounts, Long[] amounts, Map<UUID, Long> after) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setArray(1, c.createArrayOf("uuid", accounts));
            s.setArray(2, c.createArrayOf("bigint", amounts));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    after.put(rs.getObject(1, UUID.class), rs.getLong(2));
                }
            }
        }
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

    /** One debit of a set: {@code amount} paise from the owned account {@code from}, named by {@code reference}. */
    public record Debit(UUID from, long amount, String reference) {
    }

    /**
     * Set-based {@link #tryTransfer}: moves each debit's amount from its owned account into the system account
     * {@code to}, in four statements whatever the number of debits. The owned rows are locked in ascending id order
     * (so this cannot deadlock with {@link #transfer}), each is debited by the same conditional update ({@code
     * balance >= amount}), and a debit the balance does not cover changes nothing. Returns what was posted, by
     * reference; the uncovered debits are missing from it. The source accounts must be distinct.
     */
    public Map<String, Posted> tryTransferAll(List<Debit> debits, UUID to, TransferKind kind) {
        if (!AccountKind.isSystemAccount(to)) {
            throw new IllegalArgumentException("tryTransferAll pays into a system account");
        }
        Map<UUID, Debit> byAccount = new TreeMap<>();
        for (Debit d : debits) {
            if (d.amount() <= 0 || AccountKind.isSystemAccount(d.from()) || byAccount.put(d.from(), d) != null) {
                throw new IllegalArgumentException("debits take positive amounts from distinct owned accounts");
            }
        }
        Map<String, Posted> posted = new HashMap<>();
        if (debits.isEmpty()) {
            return posted;
        }
        UUID[] accounts = byAccount.keySet().toArray(UUID[]::new);
        Long[] amounts = byAccount.values().stream().map(Debit::amount).toArray(Long[]::new);
        try (Connection c = dataSource.getConnection()) {
            lockInIdOrder(c, accounts);
            Map<UUID, Long> after = new HashMap<>();
            updateAll(c, DEBIT_ALL, accounts, amounts, after);
            List<UUID> ids = new ArrayList<>();
            List<UUID> froms = new ArrayList<>();
            List<Long> paid = new ArrayList<>();
            List<String> references = new ArrayList<>();
            List<Long> balances = new ArrayList<>();
            after.forEach((account, balance) -> {
                Debit d = byAccount.get(account);
                UUID id = UUID.randomUUID();
                ids.add(id);
                froms.add(d.from());
                paid.add(d.amount());
                references.add(d.reference());
                balances.add(balance);
                posted.put(d.reference(), new Posted(id, balance, null));
            });
            if (!ids.isEmpty()) {
                try (PreparedStatement insert = c.prepareStatement("""
                        insert into ledger_transfer (id, from_account, to_account, amount, kind, reference, from_balance_after, created_at)
                        select t.id, t.from_account, ?, t.amount, ?, t.reference, t.balance_after, ?
                        from unnest(?::uuid[], ?::uuid[], ?::bigint[], ?::varchar[], ?::bigint[])
                             as t(id, from_account, amount, reference, balance_after)""")) {
                    insert.setObject(1, to);
                    insert.setString(2, kind.name());
                    insert.setTimestamp(3, Timestamp.from(now()));
                    insert.setArray(4, c.createArrayOf("uuid", ids.toArray()));
                    insert.setArray(5, c.createArrayOf("uuid", froms.toArray()));
                    insert.setArray(6, c.createArrayOf("bigint", paid.toArray()));
                    insert.setArray(7, c.createArrayOf("varchar", references.toArray()));
                    insert.setArray(8, c.createArrayOf("bigint", balances.toArray()));
                    insert.executeUpdate();
                }
            }
            return posted;
        } catch (SQLException e) {
            throw new PersistenceException("ledger transfers failed", e);
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
