package org.parley.it;

import jakarta.annotation.Resource;
import jakarta.inject.Inject;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.parley.batch.BatchJob;
import org.parley.batch.BatchSchedules;
import org.parley.it.support.InContainer;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Runs inside the deployed EAR: several nodes' timers firing for the same (job, period) at once are simulated by
 * concurrent calls of the schedule's claim; exactly one starts the job.
 */
@ExtendWith(ArquillianExtension.class)
class BatchScheduleClaimIT {

    @Deployment
    static EnterpriseArchive deployment() {
        return InContainer.earWith(BatchScheduleClaimIT.class);
    }

    @Inject
    private BatchSchedules schedules;
    @Resource(lookup = "java:jboss/datasources/ParleyDS")
    private DataSource dataSource;

    @Test
    void concurrentFiringsForTheSamePeriodStartTheJobExactlyOnce() throws Exception {
        String period = "2018-05-05";
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(6);
        List<Callable<Optional<Long>>> firings = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            firings.add(() -> {
                go.await();
                return schedules.claimAndStart(BatchJob.NIGHTLY_SETTLEMENT, period, Map.of("businessDate", period));
            });
        }
        List<Future<Optional<Long>>> results = new ArrayList<>();
        for (Callable<Optional<Long>> f : firings) {
            results.add(pool.submit(f));
        }
        go.countDown();
        List<Long> started = new ArrayList<>();
        for (Future<Optional<Long>> r : results) {
            r.get().ifPresent(started::add);
        }
        pool.shutdown();
        assertEquals(1, started.size(), "one firing wins: " + started);
        try (Connection c = dataSource.getConnection();
             ResultSet rs = c.createStatement().executeQuery("select count(*), max(execution_id) from job_schedule_claim"
                     + " where job_name = 'nightly-settlement' and period_key = '" + period + "'")) {
            rs.next();
            assertEquals(1, rs.getInt(1));
            assertEquals(started.get(0), rs.getLong(2));
        }
    }
}
