package org.parley.it;

import jakarta.inject.Inject;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.parley.common.DomainException;
import org.parley.it.support.InContainer;
import org.parley.identity.AccountService;
import org.parley.identity.Role;
import org.parley.ledger.AccountKind;
import org.parley.ledger.Ledger;
import org.parley.ledger.LedgerCheck;
import org.parley.ledger.TransferKind;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs inside the deployed EAR (the test class rides in the WAR) to drive the ledger service directly with transfers
 * between two owned accounts in both directions at once, which no public endpoint does yet: no deadlock, no
 * overdraft, nothing lost.
 */
@ExtendWith(ArquillianExtension.class)
class LedgerConcurrencyIT {

    @Deployment
    static EnterpriseArchive deployment() {
        return InContainer.earWith(LedgerConcurrencyIT.class);
    }

    @Inject
    private Ledger ledger;
    @Inject
    private LedgerCheck check;
    @Inject
    private AccountService accounts;

    private UUID wallet(String name) {
        var account = accounts.register(new AccountService.Registration(name + "-" + UUID.randomUUID() + "@it.parley.test",
                "ledger test password", name, Role.USER, null));
        return ledger.accountOf(account.id(), AccountKind.WALLET);
    }

    @Test
    void interleavedTransfersBothWaysBetweenTwoAccountsNeitherDeadlockNorOverdraw() throws Exception {
        UUID a = wallet("A");
        UUID b = wallet("B");
        ledger.transfer(AccountKind.ADJUSTMENTS.systemId(), a, 50_000, TransferKind.ADJUSTMENT, null);
        ledger.transfer(AccountKind.ADJUSTMENTS.systemId(), b, 50_000, TransferKind.ADJUSTMENT, null);

        int threads = 16;
        int perThread = 40;
        AtomicInteger refused = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            boolean aToB = t % 2 == 0;
            futures.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < perThread; i++) {
                    long amount = ThreadLocalRandom.current().nextLong(1, 5_000);
                    try {
                        if (aToB) {
                            ledger.transfer(a, b, amount, TransferKind.ADJUSTMENT, null);
                        } else {
                            ledger.transfer(b, a, amount, TransferKind.ADJUSTMENT, null);
                        }
                        done.incrementAndGet();
                    } catch (DomainException insufficient) {
                        assertEquals("insufficient-funds", insufficient.slug());
                        refused.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();

        assertEquals(threads * perThread, done.get() + refused.get(), "every transfer either happened or was refused; none failed otherwise");
        assertTrue(done.get() > 0);
        long balanceA = ledgerBalance(a);
        long balanceB = ledgerBalance(b);
        assertEquals(100_000, balanceA + balanceB, "money moved between A and B only");
        assertTrue(balanceA >= 0 && balanceB >= 0);
        LedgerCheck.Result result = check.run();
        assertTrue(result.balanced(), result::toString);
    }

    private long ledgerBalance(UUID account) {
        return ledger.balanceOfAccount(account);
    }
}
