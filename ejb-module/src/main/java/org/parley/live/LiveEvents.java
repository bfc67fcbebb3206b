package org.parley.live;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Frames for connected clients, published only after the transaction that caused them commits (clients see only
 * committed state). The WebSocket layer registers a sink; on a rollback the frames are dropped. This is the seam where
 * a cluster-wide topic goes when several nodes hold sockets.
 */
@ApplicationScoped
public class LiveEvents {

    private static final Logger LOG = Logger.getLogger(LiveEvents.class.getName());
    private static final Object KEY = new Object();

    @Resource
    private TransactionSynchronizationRegistry tsr;

    private final List<BiConsumer<UUID, Map<String, Object>>> sinks = new CopyOnWriteArrayList<>();

    /** The WebSocket layer's delivery: (account or null for everyone, frame). */
    public void register(BiConsumer<UUID, Map<String, Object>> sink) {
        sinks.add(sink);
    }

    public void unregister(BiConsumer<UUID, Map<String, Object>> sink) {
        sinks.remove(sink);
    }

    /** Sends {@code frame} to every connected socket, after commit. */
    public void publishToAll(Map<String, Object> frame) {
        publish(null, frame);
    }

    /** Sends {@code frame} to every socket of {@code accountId} (null: every socket) once the current transaction commits (or now, if none). */
    @SuppressWarnings("unchecked")
    public void publish(UUID accountId, Map<String, Object> frame) {
        if (tsr == null || tsr.getTransactionKey() == null) {
            deliver(List.of(new Pending(accountId, frame)));
            return;
        }
        List<Pending> pending = (List<Pending>) tsr.getResource(KEY);
        if (pending == null) {
            List<Pending> list = new ArrayList<>();
            tsr.putResource(KEY, list);
            tsr.registerInterposedSynchronization(new Synchronization() {
                @Override
                public void beforeCompletion() {
                }

                @Override
                public void afterCompletion(int status) {
                    if (status == Status.STATUS_COMMITTED) {
                        deliver(list);
                    }
                }
            });
            pending = list;
        }
        pending.add(new Pending(accountId, frame));
    }

    private void deliver(List<Pending> frames) {
        for (Pending p : frames) {
            for (BiConsumer<UUID, Map<String, Object>> sink : sinks) {
                try {
                    sink.accept(p.accountId(), p.frame());
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "a live event could not be delivered", e);
                }
            }
        }
    }

    private record Pending(UUID accountId, Map<String, Object> frame) {
    }
}
