package org.parley.common;

import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Logs a failure that repeats (every sweep, every request while the database is down) at most once per interval,
 * saying how many like it were held back, so an outage leaves a readable log instead of a flood of stack traces.
 */
public final class RareLog {

    private final Logger log;
    private final long intervalNanos;
    private final long intervalSeconds;
    private final AtomicLong last = new AtomicLong();
    private final AtomicLong held = new AtomicLong();
    private volatile boolean logged;

    public RareLog(Logger log, long intervalSeconds) {
        this.log = log;
        this.intervalSeconds = intervalSeconds;
        this.intervalNanos = intervalSeconds * 1_000_000_000L;
    }

    /** Logs this one unless one was logged less than the interval ago (then only counts it). */
    public void log(Level level, String message, Throwable error) {
        long now = System.nanoTime();
        long previous = last.get();
        if ((logged && now - previous < intervalNanos) || !last.compareAndSet(previous, now)) {
            held.incrementAndGet();
            return;
        }
        logged = true;
        long more = held.getAndSet(0);
        log.log(level, more == 0 ? message : message + " (and " + more + " more like it in the last " + intervalSeconds + " s, not logged)", error);
    }
}
