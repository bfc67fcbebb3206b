package org.parley.bench;

import jakarta.annotation.Resource;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.parley.it.support.InContainer;

import javax.sql.DataSource;
import java.sql.Connection;
import java.util.UUID;

/**
 * Benchmark, not a test (run with {@code ./mvnw -Pbench verify}). Seeds N live sessions straight into the database
 * (seeding is not timed) with a 60 s period and their next charges spread evenly over the minute starting 3 s after
 * the seeding transaction began (seeding itself takes a second or two, and now() is that transaction's start), lets the
 * server's own billing sweep run for a little more than one period, and prints charges/s, the lateness of each charge
 * against its due instant (p50/p99/max), missed and doubled charges, and the server's CPU over the window.
 */
@ExtendWith(ArquillianExtension.class)
class BillingBench {

    @Deployment
    static EnterpriseArchive deployment() {
        return InContainer.earWith(BillingBench.class, ProcessStats.class, BillingLoad.class);
    }

    @Resource(lookup = "java:jboss/datasources/ParleyDS")
    private DataSource dataSource;

    @Test
    void billingSweepAt10kAnd50kConcurrentSessions() throws Exception {
        for (int sessions : new int[]{10_000, 50_000}) {
            run(sessions);
        }
    }

    private void run(int n) throws Exception {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        try (Connection c = dataSource.getConnection()) {
            BillingLoad.seed(c, tag, n);
        }
        long cpu0 = ProcessStats.cpuNanos();
        long t0 = System.nanoTime();
        Thread.sleep(66_000);
        long cpu = ProcessStats.cpuNanos() - cpu0;
        double wall = (System.nanoTime() - t0) / 1e9;
        try (Connection c = dataSource.getConnection()) {
            System.out.printf("[bench] %s; server CPU %.1f s over %.0f s (%.0f%% of one core)%n",
                    BillingLoad.report(c, tag, n, wall), cpu / 1e9, wall, 100 * cpu / 1e9 / wall);
            BillingLoad.end(c, tag);
        }
    }
}
