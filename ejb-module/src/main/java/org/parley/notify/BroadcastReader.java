package org.parley.notify;

import jakarta.batch.api.chunk.AbstractItemReader;
import jakarta.batch.runtime.context.JobContext;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.UUID;

/**
 * The broadcast's recipients in id order, fetched a page at a time. The checkpoint is the last recipient handed out and
 * committed, so a restarted execution continues after it (and the outbox's unique key makes a redone chunk harmless).
 */
@Dependent
@Named("broadcastReader")
public class BroadcastReader extends AbstractItemReader {

    private static final int PAGE = 500;

    @Inject
    private JobContext job;
    @Inject
    private Broadcasts broadcasts;

    private final Deque<UUID> page = new ArrayDeque<>();
    private UUID last;
    private boolean exhausted;

    static UUID broadcastId(JobContext job) {
        return UUID.fromString(job.getProperties().getProperty("broadcastId"));
    }

    @Override
    public void open(Serializable checkpoint) {
        last = checkpoint == null ? null : UUID.fromString((String) checkpoint);
    }

    @Override
    public Object readItem() {
        if (page.isEmpty() && !exhausted) {
            page.addAll(broadcasts.recipients(broadcastId(job), last, PAGE));
            exhausted = page.size() < PAGE;
        }
        UUID next = page.poll();
        if (next != null) {
            last = next;
        }
        return next;
    }

    @Override
    public Serializable checkpointInfo() {
        return last == null ? null : last.toString();
    }
}
