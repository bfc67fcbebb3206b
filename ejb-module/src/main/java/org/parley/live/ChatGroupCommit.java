package org.parley.live;

import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Group commit for chat lines from sockets: lines that arrive while groups are being stored wait for the next group,
 * and each group is stored by {@link ChatService#postAll} in one transaction. A socket has at most one line in flight
 * (it waits for the line's future before its next frame), so concurrent groups cannot reorder a socket's lines. At a trickle a group is one line and
 * goes at once; under load the groups grow, so the database sees a few statements per group instead of a transaction
 * per line. The future of a line completes once its group has committed (or fails with the reason it was refused),
 * so a socket that waits for it before its next frame keeps its own lines in order.
 */
@ApplicationScoped
public class ChatGroupCommit {

    static final int MAX_GROUP = 500;
    /** Groups stored at once. More than one was measured slower on 2 cores (smaller groups, more transactions); safe at any number (sessions are locked in id order). */
    static final int DRAINERS = 1;

    @Inject
    private ChatService chat;
    @Resource
    private ManagedExecutorService executor;

    private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger drainers = new AtomicInteger();

    private record Pending(ChatService.Line line, CompletableFuture<ChatService.Message> result) {
    }

    public CompletableFuture<ChatService.Message> submit(ChatService.Line line) {
        Pending p = new Pending(line, new CompletableFuture<>());
        queue.add(p);
        startDrainer();
        return p.result();
    }

    /** Starts another drainer while lines wait and fewer than {@value #DRAINERS} are storing groups. */
    private void startDrainer() {
        for (int n = drainers.get(); n < DRAINERS && !queue.isEmpty(); n = drainers.get()) {
            if (drainers.compareAndSet(n, n + 1)) {
                try {
                    executor.execute(this::drain);
                } catch (RejectedExecutionException e) {
                    drain(); // the executor is saturated or stopping: store on the caller's thread instead
                }
                return;
            }
        }
    }

    /** Stores groups until the queue is empty, then lets go (and re-checks, so no line is stranded). */
    private void drain() {
        try {
            List<Pending> group;
            while (!(group = nextGroup()).isEmpty()) {
                store(group);
            }
        } finally {
            drainers.decrementAndGet();
        }
        startDrainer();
    }

    private List<Pending> nextGroup() {
        List<Pending> group = new ArrayList<>();
        Pending p;
        while (group.size() < MAX_GROUP && (p = queue.poll()) != null) {
            group.add(p);
        }
        return group;
    }

    private void store(List<Pending> group) {
        List<Object> outcomes;
        try {
            outcomes = chat.postAll(group.stream().map(Pending::line).toList());
        } catch (RuntimeException e) {
            group.forEach(p -> p.result().completeExceptionally(e));
            return;
        }
        for (int i = 0; i < group.size(); i++) {
            Object outcome = outcomes.get(i);
            if (outcome instanceof ChatService.Message m) {
                group.get(i).result().complete(m);
            } else {
                group.get(i).result().completeExceptionally((Throwable) outcome);
            }
        }
    }
}
