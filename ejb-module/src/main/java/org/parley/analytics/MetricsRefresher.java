package org.parley.analytics;

import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.inject.Inject;

import java.util.logging.Level;
import java.util.logging.Logger;

/** Every 5 seconds on every node: the gauges of {@link ParleyMetrics} from the database (the same counts on every node). */
@Singleton
public class MetricsRefresher {

    private static final Logger LOG = Logger.getLogger(MetricsRefresher.class.getName());

    @Inject
    private Analytics analytics;
    @Inject
    private ParleyMetrics metrics;

    @Schedule(second = "*/5", minute = "*", hour = "*", persistent = false, info = "metrics-refresh")
    void refresh() {
        try {
            metrics.refresh(analytics.realtime());
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "the metrics' gauges were not refreshed; next time", e);
        }
    }
}
