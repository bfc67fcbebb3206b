package org.parley.notify;

import jakarta.batch.api.chunk.AbstractItemWriter;
import jakarta.batch.runtime.context.JobContext;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.util.List;
import java.util.UUID;

/** Notifies a chunk of a broadcast's recipients in the chunk's transaction. */
@Dependent
@Named("broadcastWriter")
public class BroadcastWriter extends AbstractItemWriter {

    @Inject
    private JobContext job;
    @Inject
    private Broadcasts broadcasts;

    @Override
    public void writeItems(List<Object> recipients) {
        broadcasts.deliver(BroadcastReader.broadcastId(job), recipients.stream().map(UUID.class::cast).toList());
    }
}
