package org.parley.analytics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Parley's own metrics, in WildFly's Micrometer registry (exported for Prometheus on the management port at
 * {@code /metrics}, next to WildFly's, tagged {@code WF_DEPLOYMENT}): live sessions, online experts, queued users and
 * connected sockets (gauges refreshed from the database every few seconds by {@link MetricsRefresher}), charges and chat
 * lines counted, billing lateness and the chat's store latency as histograms, gateway calls by gateway and outcome.
 *
 * <p>Only the registry's own methods are used ({@code counter}, {@code gauge}, {@code timer}, {@code summary}): WildFly
 * 39's per-deployment registry drops meters made with Micrometer's builders (they never reach the export). So the
 * histograms are cumulative bucket counters of their own, {@code <name>_buckets_total{le="..."}} in seconds, beside a
 * timer's count, sum and max ({@code <name>_seconds_count}, ...): {@code histogram_quantile} works on them as on any
 * {@code le} series. (Named {@code _bucket}, they would clash with the timer's family and not be exported.)
 */
@ApplicationScoped
public class ParleyMetrics {

    /** Upper bounds of the histograms' buckets, in seconds. */
    static final double[] BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};

    @Inject
    private MeterRegistry registry;

    private final AtomicLong liveSessions = new AtomicLong();
    private final AtomicLong onlineExperts = new AtomicLong();
    private final AtomicLong queuedUsers = new AtomicLong();
    private final AtomicLong connectedSockets = new AtomicLong();
    private Counter charges;
    private Counter chatLines;
    private Histogram billingLateness;
    private Histogram chatStore;
    private DistributionSummary chatGroup;

    /** A Prometheus-style histogram from counters: cumulative buckets, plus a timer for count, sum and max. */
    private final class Histogram {
        private final Timer timer;
        private final Counter[] buckets = new Counter[BUCKETS.length + 1];

        Histogram(String name) {
            timer = registry.timer(name);
            for (int i = 0; i < BUCKETS.length; i++) {
                buckets[i] = registry.counter(name + ".buckets", "le", String.format(Locale.ROOT, "%s", BUCKETS[i]));
            }
            buckets[BUCKETS.length] = registry.counter(name + ".buckets", "le", "+Inf");
        }

        void record(Duration d) {
            timer.record(d);
            double seconds = d.toNanos() / 1e9;
            for (int i = 0; i < BUCKETS.length; i++) {
                if (seconds <= BUCKETS[i]) {
                    buckets[i].increment();
                }
            }
            buckets[BUCKETS.length].increment();
        }
    }

    /**
     * A gauge holds its state weakly and is known by its name: one left by an earlier deployment (a redeploy) would keep
     * answering for a state that is gone (NaN), so it is removed before this deployment's is registered.
     */
    private void gauge(String name, AtomicLong state) {
        registry.find(name).meters().forEach(registry::remove);
        registry.gauge(name, state);
    }

    @PostConstruct
    void register() {
        gauge("parley.live.sessions", liveSessions);
        gauge("parley.experts.online", onlineExperts);
        gauge("parley.queue.users", queuedUsers);
        gauge("parley.sockets.connected", connectedSockets);
        charges = registry.counter("parley.charges");
        chatLines = registry.counter("parley.chat.lines");
        billingLateness = new Histogram("parley.billing.lateness");
        chatStore = new Histogram("parley.chat.store");
        chatGroup = registry.summary("parley.chat.group.size");
    }

    /** On undeployment, the gauges go with the state they read. */
    @PreDestroy
    void unregister() {
        for (String name : new String[]{"parley.live.sessions", "parley.experts.online", "parley.queue.users", "parley.sockets.connected"}) {
            registry.find(name).meters().forEach(registry::remove);
        }
    }

    /** The real-time figures, as read from the database. */
    public void refresh(Analytics.Realtime r) {
        liveSessions.set(r.liveSessions());
        onlineExperts.set(r.onlineExperts());
        queuedUsers.set(r.queuedUsers());
        connectedSockets.set(r.connectedSockets());
    }

    /** A period charged {@code lateness} after it was due. */
    public void charged(Duration lateness) {
        charges.increment();
        billingLateness.record(lateness.isNegative() ? Duration.ZERO : lateness);
    }

    /** A group of {@code lines} chat lines stored in {@code took}. */
    public void chatStored(int lines, Duration took) {
        chatLines.increment(lines);
        chatGroup.record(lines);
        chatStore.record(took);
    }

    /** One call to a payment gateway and how it ended: ok, refused (4xx), conflict (409), unavailable (5xx) or no-answer. */
    public void gatewayCall(String gateway, String outcome) {
        registry.counter("parley.gateway.calls", "gateway", gateway, "outcome", outcome).increment();
    }
}
