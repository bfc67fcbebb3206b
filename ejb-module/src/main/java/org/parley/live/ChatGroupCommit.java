package org.parley.live;

import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.parley.identity.Caller;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Group commit for chat lines, from sockets and from REST: a line that finds no group being stored is stored at once on the thread
 * that received it (a group of one: one plain statement); lines that arrive while a group is being stored wait for
 * the next group, drained on the executor, and each group is stored by {@link ChatService#postAll} in one transaction. A socket has at most one line in flight
 * (it waits for the line's future before its next frame), and groups are stored one at a time. At a trickle a group is one line and
 * goes at once; under load the groups grow, so the database sees one call per group instead of one per line. The future of a line completes once its group has committed (or fails with the reason it was refused),
 * so a socket that waits for it before its next frame keeps its own lines in order.
 */
@ApplicationScoped
public class ChatGroupCommit {

    static final int MAX_GROUP = 500;

    @Inject
    private ChatService chat;
    @Inject
    private org.parley.analytics.ParleyMetrics metrics;
    @Resource
    private ManagedExecutorService executor;

    /** One group stored at a time: more than one was measured slower on 2 cores (smaller groups, more transactions). */
    private final SerialBatches<Pending> groups = new SerialBatches<>(MAX_GROUP, this::store);

    private record Pending(ChatService.Line line, CompletableFuture<ChatService.Message> result) {
    }

    /** A line for the next group, stored on this thread if no group is being stored. */
    public CompletableFuture<ChatService.Message> submit(ChatService.Line line) {
        Pending p = new Pending(line, new CompletableFuture<>());
        groups.addAndLead(p, executor);
        return p.result();
    }

    /** A line for the next group, stored on the executor whatever (for threads that must not block: socket I/O). */
    public CompletableFuture<ChatService.Message> queue(ChatService.Line line) {
        Pending p = new Pending(line, new CompletableFuture<>());
        groups.addAll(List.of(p), executor);
        return p.result();
    }

    /**
     * A line posted over REST: stored through the same groups as the sockets' lines, so that on this node every line
     * of a session is relayed in number order whichever way it came; returns the stored line or throws the reason it
     * was refused.
     */
    public ChatService.Message post(Caller sender, UUID sessionId, String body, String clientMsgId) {
        try {
            return submit(new ChatService.Line(sender.id(), sessionId, body, clientMsgId)).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException refused) {
                throw refused;
            }
            throw e;
        }
    }

    private void store(List<Pending> group) {
        List<Object> outcomes;
        long began = System.nanoTime();
        try {
            outcomes = chat.postAll(group.stream().map(Pending::line).toList());
            metrics.chatStored((int) outcomes.stream().filter(ChatService.Message.class::isInstance).count(),
                    java.time.Duration.ofNanos(System.nanoTime() - began));
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
