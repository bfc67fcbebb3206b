package org.parley.live;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Items handed to {@code handler} in batches, in the order they were added, by at most one drainer at a time: what
 * arrives while a batch is being handled waits for the next batch (so under load batches grow, at a trickle a batch is
 * one item). The drainer runs on the given executor, or on the adding thread if the executor refuses it, and lets go
 * only when the queue is empty (re-checking, so nothing is stranded).
 */
final class SerialBatches<T> {

    private final ConcurrentLinkedQueue<T> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final int maxBatch;
    private final Consumer<List<T>> handler;

    SerialBatches(int maxBatch, Consumer<List<T>> handler) {
        this.maxBatch = maxBatch;
        this.handler = handler;
    }

    /**
     * Adds {@code item}; if no batch is being handled, handles one batch (this item and whatever arrived with it) on
     * the calling thread first, so an item that finds the queue idle goes at once, without waiting for a thread to
     * wake; whatever arrives meanwhile is drained on the executor, as {@link #addAll} does.
     */
    void addAndLead(T item, Executor executor) {
        queue.add(item);
        if (draining.compareAndSet(false, true)) {
            drain(executor, 1);
        } // else the drainer at work takes it: it looks at the queue again before it lets go
    }

    void addAll(Collection<T> items, Executor executor) {
        queue.addAll(items);
        start(executor);
    }

    private void start(Executor executor) {
        if (!queue.isEmpty() && draining.compareAndSet(false, true)) {
            try {
                executor.execute(() -> drain(executor, Integer.MAX_VALUE));
            } catch (RejectedExecutionException e) {
                drain(executor, Integer.MAX_VALUE); // the executor is saturated or stopping: drain on this thread
            }
        }
    }

    /** Handles up to {@code maxBatches} batches, lets go, and leaves what is still queued to the executor. */
    private void drain(Executor executor, int maxBatches) {
        try {
            List<T> batch;
            for (int n = 0; n < maxBatches && !(batch = next()).isEmpty(); n++) {
                handler.accept(batch);
            }
        } finally {
            draining.set(false);
        }
        start(executor);
    }

    private List<T> next() {
        List<T> batch = new ArrayList<>();
        T item;
        while (batch.size() < maxBatch && (item = queue.poll()) != null) {
            batch.add(item);
        }
        return batch;
    }
}
