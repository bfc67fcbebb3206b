package org.parley.bench;

import org.junit.jupiter.api.Test;
import org.parley.crash.OwnServer;
import org.parley.it.support.Db;

import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * Benchmark, not a test: the billing load of {@link BillingBench} (50,000 live sessions by default, a 60 s period) swept
 * by two clustered nodes ({@code parley-ha.xml}) of their own on the suite's PostgreSQL, or by one
 * ({@code -Dparley.bench.nodes=1}) for the comparison on the same footing. Prints charges/s, lateness p50/p99/max,
 * missed and doubled, the charges each node made (its {@code parley_charges_total}) and each node's CPU. Run with
 * {@code ./mvnw -Pbench verify -Dit.test=ClusterBillingBench} (no Arquillian server starts for it).
 */
class ClusterBillingBench {

    @Test
    void billingSweptByTwoNodes() throws Exception {
        int nodes = Integer.getInteger("parley.bench.nodes", 2);
        int sessions = Integer.getInteger("parley.bench.sessions", 50_000);
        Path shared = Path.of(System.getProperty("parley.it.work", "target/it")).toAbsolutePath().resolve("bench-cluster-data");
        List<OwnServer> servers = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            servers.add(OwnServer.prepare("bench-node-" + i, 600 + 100 * i, null).clustered("bench-node-" + i, shared,
                    "parley.live.node-timeout-seconds=30"));
        }
        try {
            CompletableFuture.allOf(servers.stream().map(s -> CompletableFuture.runAsync(() -> {
                try {
                    s.start();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            })).toArray(CompletableFuture[]::new)).join();
            Thread.sleep(20_000); // past the boot: timers armed, JIT warm enough, the cluster formed
            double[] charges0 = new double[nodes];
            long[] cpu0 = new long[nodes];
            for (int i = 0; i < nodes; i++) {
                charges0[i] = servers.get(i).metric("parley_charges_total");
                cpu0[i] = ProcessStats.of(servers.get(i).pid()).cpu();
            }
            String tag = UUID.randomUUID().toString().substring(0, 8);
            try (Connection c = Db.connect()) {
                BillingLoad.seed(c, tag, sessions);
            }
            long t0 = System.nanoTime();
            Thread.sleep(66_000);
            double wall = (System.nanoTime() - t0) / 1e9;
            StringBuilder perNode = new StringBuilder();
            for (int i = 0; i < nodes; i++) {
                OwnServer s = servers.get(i);
                perNode.append(String.format("; node %d: %.0f charges, CPU %.0f%% of one core", i,
                        s.metric("parley_charges_total") - charges0[i], 100 * (ProcessStats.of(s.pid()).cpu() - cpu0[i]) / 1e9 / wall));
            }
            try (Connection c = Db.connect()) {
                System.out.printf("[bench] %d node(s): %s%s%n", nodes, BillingLoad.report(c, tag, sessions, wall), perNode);
                BillingLoad.end(c, tag);
            }
        } finally {
            for (OwnServer s : servers) {
                s.close();
            }
        }
    }
}
