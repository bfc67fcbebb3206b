package org.parley.bench;

import jakarta.annotation.Resource;
import jakarta.batch.runtime.BatchRuntime;
import jakarta.batch.runtime.BatchStatus;
import jakarta.batch.runtime.JobExecution;
import jakarta.batch.runtime.StepExecution;
import jakarta.inject.Inject;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.parley.batch.BatchJob;
import org.parley.batch.BatchOperations;
import org.parley.it.support.InContainer;
import org.parley.it.support.SettledDaySeed;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.Map;
import java.util.UUID;

/**
 * Benchmark, not a test ({@code ./mvnw -Pbench verify -Dit.test=SettlementBench}). Seeds two identical business days
 * of ended sessions (EXPERTS experts × PER_EXPERT sessions each; seeding is not timed), settles the first with the
 * nightly-settlement job and the second with one hand-written set-based SQL transaction doing the same work (lines,
 * statements, one transfer per expert, balances), and prints wall time, sessions/s, the server's peak RSS during the
 * job, and the ratio.
 */
@ExtendWith(ArquillianExtension.class)
class SettlementBench {

    private static final int EXPERTS = Integer.getInteger("parley.bench.experts", 10_000);
    private static final int PER_EXPERT = Integer.getInteger("parley.bench.sessions-per-expert", 100);

    @Deployment
    static EnterpriseArchive deployment() {
        return InContainer.earWith(SettlementBench.class, ProcessStats.class, SettledDaySeed.class);
    }

    @Resource(lookup = "java:jboss/datasources/ParleyDS")
    private DataSource dataSource;
    @Inject
    private BatchOperations operations;

    @Test
    void nightlySettlementOfAMillionSessionsAgainstSetBasedSql() throws Exception {
        LocalDate jobDay = LocalDate.of(2025, 1, 15);
        LocalDate sqlDay = LocalDate.of(2025, 1, 16);
        long sessions = (long) EXPERTS * PER_EXPERT;
        long t0 = System.nanoTime();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            for (String sql : SettledDaySeed.sql(UUID.randomUUID().toString().substring(0, 8), EXPERTS, PER_EXPERT, jobDay, 1_000, true)) {
                s.executeUpdate(sql);
            }
            for (String sql : SettledDaySeed.sql(UUID.randomUUID().toString().substring(0, 8), EXPERTS, PER_EXPERT, sqlDay, 1_000, true)) {
                s.executeUpdate(sql);
            }
            s.execute("analyze");
        }
        System.out.printf("[bench] seeded 2 x %,d sessions in %.0f s (not timed)%n", sessions, (System.nanoTime() - t0) / 1e9);

        long startedAt = System.nanoTime();
        long id = operations.startScheduled(BatchJob.NIGHTLY_SETTLEMENT, Map.of("businessDate", jobDay.toString()));
        long peakRss = ProcessStats.rssMiB();
        JobExecution e;
        do {
            Thread.sleep(200);
            peakRss = Math.max(peakRss, ProcessStats.rssMiB());
            e = BatchRuntime.getJobOperator().getJobExecution(id);
        } while (e.getBatchStatus() == BatchStatus.STARTING || e.getBatchStatus() == BatchStatus.STARTED);
        double jobSeconds = (System.nanoTime() - startedAt) / 1e9;

        long sqlStarted = System.nanoTime();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.executeUpdate(setBasedSettlement(sqlDay));
            c.commit();
        }
        double sqlSeconds = (System.nanoTime() - sqlStarted) / 1e9;

        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            var rs = s.executeQuery("select business_date, count(*), sum(sessions), sum(gross), sum(net) from settlement_statement"
                    + " where business_date in ('" + jobDay + "', '" + sqlDay + "') group by business_date order by business_date");
            while (rs.next()) {
                System.out.printf("[bench] %s: %,d statements, %,d sessions, gross %,d, net %,d%n", rs.getDate(1), rs.getLong(2), rs.getLong(3),
                        rs.getLong(4), rs.getLong(5));
            }
        }
        System.out.printf("[bench] nightly-settlement job: %s (%s) %,d sessions of %,d experts in %.1f s -> %,.0f sessions/s; server peak RSS %,d MiB%n",
                e.getBatchStatus(), e.getExitStatus(), sessions, EXPERTS, jobSeconds, sessions / jobSeconds, peakRss);
        for (StepExecution step : BatchRuntime.getJobOperator().getStepExecutions(id)) {
            System.out.printf("[bench]   step %s: %s, %.1f s%n", step.getStepName(), step.getBatchStatus(),
                    (step.getEndTime().getTime() - step.getStartTime().getTime()) / 1e3);
        }
        System.out.printf("[bench] set-based SQL, same work on a copy: %.1f s -> %,.0f sessions/s; job / SQL = %.2f%n",
                sqlSeconds, sessions / sqlSeconds, jobSeconds / sqlSeconds);
    }

    /** The whole day in one statement: lines, statements, available accounts, one transfer per expert, balances (nets as the sessions record them, as the job reads them). */
    private static String setBasedSettlement(LocalDate day) {
        String from = "timestamptz '" + day + " 00:00:00+05:30'";
        String to = "timestamptz '" + day.plusDays(1) + " 00:00:00+05:30'";
        return """
                with lines as (
                    insert into settlement_line (session_id, expert_id, business_date, gross, net, created_at)
                    select s.id, s.expert_id, date '%1$s', s.amount_charged - s.amount_refunded, s.expert_net - s.expert_refunded, now()
                    from live_session s
                    where s.status = 'ENDED' and s.ended_at >= %2$s and s.ended_at < %3$s
                      and not exists (select 1 from settlement_line l where l.session_id = s.id)
                    on conflict (session_id) do nothing
                    returning expert_id, gross, net
                ), sums as (
                    select expert_id, count(*) as n, sum(gross) as gross, sum(net) as net from lines group by expert_id
                ), available as (
                    insert into ledger_account (id, kind, owner_id, balance)
                    select gen_random_uuid(), 'EARNINGS_AVAILABLE', expert_id, net from sums
                    on conflict (owner_id, kind) where owner_id is not null do update set balance = ledger_account.balance + excluded.balance
                    returning id, owner_id, balance
                ), pending as (
                    update ledger_account p set balance = p.balance - sums.net from sums
                    where p.owner_id = sums.expert_id and p.kind = 'EARNINGS_PENDING'
                    returning p.id, p.owner_id, p.balance
                ), transfers as (
                    insert into ledger_transfer (id, from_account, to_account, amount, kind, reference, from_balance_after, to_balance_after, created_at)
                    select gen_random_uuid(), pending.id, available.id, sums.net, 'SETTLEMENT', 'settlement:' || sums.expert_id || ':%1$s:1',
                           pending.balance, available.balance, now()
                    from sums join pending on pending.owner_id = sums.expert_id join available on available.owner_id = sums.expert_id
                    returning id, to_account
                )
                insert into settlement_statement (expert_id, business_date, sessions, gross, fee, net, transfer_ids, created_at, updated_at)
                select sums.expert_id, date '%1$s', sums.n, sums.gross, sums.gross - sums.net, sums.net, array[transfers.id], now(), now()
                from sums join available on available.owner_id = sums.expert_id join transfers on transfers.to_account = available.id
                """.formatted(day, from, to);
    }
}
