package org.parley.settlement;

import jakarta.batch.api.chunk.AbstractItemReader;
import jakarta.batch.runtime.context.JobContext;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.io.Serializable;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.UUID;

/**
 * Reads the experts to settle for the job's business day, in id order, a page at a time. The checkpoint is the last
 * expert handed out, so a restarted execution continues after the last committed chunk (and the settlement lines'
 * key would make a repeat harmless anyway).
 */
@Dependent
@Named("settlementReader")
public class SettlementReader extends AbstractItemReader {

    private static final int PAGE = 1_000;

    @Inject
    private JobContext job;
    @Inject
    private SettlementService settlement;

    private LocalDate day;
    private UUID last;
    private final Deque<UUID> page = new ArrayDeque<>();
    private boolean exhausted;

    @Override
    public void open(Serializable checkpoint) {
        day = BusinessDate.of(job, settlement);
        last = checkpoint == null ? null : UUID.fromString(checkpoint.toString());
    }

    @Override
    public Object readItem() {
        if (page.isEmpty() && !exhausted) {
            var next = settlement.expertsToSettle(day, last, PAGE);
            page.addAll(next);
            exhausted = next.size() < PAGE;
        }
        UUID expert = page.poll();
        if (expert != null) {
            last = expert;
        }
        return expert;
    }

    @Override
    public Serializable checkpointInfo() {
        return last == null ? null : last.toString();
    }
}
