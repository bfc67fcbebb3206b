package org.parley.bench;

import jakarta.annotation.Resource;
import jakarta.inject.Inject;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.parley.identity.AccountService;
import org.parley.identity.Role;
import org.parley.it.support.InContainer;
import org.parley.ledger.AccountKind;
import org.parley.ledger.Ledger;
import org.parley.ledger.TransferKind;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Benchmark, not a test (run with {@code ./mvnw -Pbench verify}; it asserts nothing and prints figures). Inside the
 * deployed server, drives owned-to-owned ledger transfers through the {@code Ledger} EJB at 8 and 32 concurrent
 * callers, and in the same run the same shape as raw JDBC on the same datasource: two conditional row updates in id
 * order plus one insert, one transaction per transfer.
 */
@ExtendWith(ArquillianExtension.class)
class LedgerBench {

    private static final int ACCOUNTS = 1_000;
    private static final Duration RUN = Duration.ofSeconds(Long.getLong("parley.bench.seconds", 15));

    @Deployment
    static EnterpriseArchive deployment() {
        return InContainer.earWith(LedgerBench.class);
    }

    @Inject
    private Ledger ledger;
    @Inject
    private AccountService accounts;
    @Resource(lookup = "java:jboss/datasources/ParleyDS")
    private DataSource dataSource;

    private interface Transfer {
        void run(UUID from, UUID to) throws Exception;
    }

    @Test
    void ledgerTransfersThroughTheServiceNextToRawSql() throws Exception {
        List<UUID> wallets = new ArrayList<>();
        for (int i = 0; i < ACCOUNTS; i++) {
            var a = accounts.register(new AccountService.Registration("bench-" + UUID.randomUUID() + "@bench.parley.test",
                    "bench password", "Bench", Role.USER, null));
            UUID w = ledger.accountOf(a.id(), AccountKind.WALLET);
            ledger.transfer(AccountKind.ADJUSTMENTS.systemId(), w, 1_000_000_000L, TransferKind.ADJUSTMENT, null);
            wallets.add(w);
        }
        System.out.println("[bench] ledger transfers between " + ACCOUNTS + " owned accounts, " + RUN.toSeconds() + " s per run");
        for (int callers : new int[]{8, 32}) {
            run("warm-up service", callers, wallets, (a, b) -> ledger.transfer(a, b, 1, TransferKind.ADJUSTMENT, null), Duration.ofSeconds(3));
            double service = run("service (Ledger EJB)", callers, wallets, (a, b) -> ledger.transfer(a, b, 1, TransferKind.ADJUSTMENT, null), RUN);
            double raw = run("raw JDBC", callers, wallets, this::rawTransfer, RUN);
            System.out.printf("[bench] %d callers: service/raw = %.0f%%%n", callers, 100 * service / raw);
        }
    }

    private double run(String label, int callers, List<UUID> wallets, Transfer transfer, Duration length) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        long end = System.nanoTime() + length.toNanos();
        long start = System.nanoTime();
        List<Future<List<Long>>> futures = new ArrayList<>();
        for (int c = 0; c < callers; c++) {
            futures.add(pool.submit(() -> {
                List<Long> latencies = new ArrayList<>();
                ThreadLocalRandom random = ThreadLocalRandom.current();
                while (System.nanoTime() < end) {
                    UUID a = wallets.get(random.nextInt(wallets.size()));
                    UUID b = wallets.get(random.nextInt(wallets.size()));
                    if (a.equals(b)) {
                        continue;
                    }
                    long t0 = System.nanoTime();
                    transfer.run(a, b);
                    latencies.add(System.nanoTime() - t0);
                }
                return latencies;
            }));
        }
        List<Long> all = new ArrayList<>();
        for (Future<List<Long>> f : futures) {
            all.addAll(f.get());
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        Collections.sort(all);
        double rate = all.size() / seconds;
        if (!label.startsWith("warm-up")) {
            System.out.printf("[bench] %-22s %2d callers: %8.0f transfers/s  p50 %6.2f ms  p99 %6.2f ms  (%d transfers)%n",
                    label, callers, rate, pct(all, 50), pct(all, 99), all.size());
        }
        return rate;
    }

    /** The same shape as Ledger.transfer, by hand: two conditional updates in id order, one insert, commit. */
    private void rawTransfer(UUID from, UUID to) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement debit = c.prepareStatement(
                    "update ledger_account set balance = balance - ? where id = ? and balance >= ? returning balance");
                 PreparedStatement credit = c.prepareStatement("update ledger_account set balance = balance + ? where id = ? returning balance");
                 PreparedStatement insert = c.prepareStatement("insert into ledger_transfer (id, from_account, to_account, amount, kind,"
                         + " from_balance_after, to_balance_after, created_at) values (?, ?, ?, 1, 'ADJUSTMENT', ?, ?, ?)")) {
                long fromAfter;
                long toAfter;
                if (to.compareTo(from) < 0) {
                    toAfter = update(credit, to, false);
                    fromAfter = update(debit, from, true);
                } else {
                    fromAfter = update(debit, from, true);
                    toAfter = update(credit, to, false);
                }
                insert.setObject(1, UUID.randomUUID());
                insert.setObject(2, from);
                insert.setObject(3, to);
                insert.setLong(4, fromAfter);
                insert.setLong(5, toAfter);
                insert.setTimestamp(6, Timestamp.from(Instant.now()));
                insert.executeUpdate();
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        }
    }

    private static long update(PreparedStatement s, UUID account, boolean debit) throws SQLException {
        s.setLong(1, 1);
        s.setObject(2, account);
        if (debit) {
            s.setLong(3, 1);
        }
        try (ResultSet rs = s.executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("insufficient funds");
            }
            return rs.getLong(1);
        }
    }

    private static double pct(List<Long> sorted, int p) {
        return sorted.isEmpty() ? 0 : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1)) / 1e6;
    }
}
