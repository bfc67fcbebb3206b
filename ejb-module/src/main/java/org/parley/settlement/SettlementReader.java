package org.parley.settlement;

import jakarta.batch.api.chunk.AbstractItemReader;
import jakarta.batch.runtime.context.JobContext;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.parley.common.BusinessCalendar;

import java.io.Serializable;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.UUID;

/**
 * Reads the experts to settle for the job's business day, in id order (one query at open: ids only, 10,000 experts are
 * 160 KB). The checkpoint is the last expert handed out, so a restarted execution continues after the last committed
 * chunk (and the settlement lines' key would make a repeat harmless anyway).
 */
@Dependent
@Named("settlementReader")
public class SettlementReader extends AbstractItemReader {

    @Inject
    private JobContext job;
    @Inject
    private SettlementService settlement;
    @Inject
    private BusinessCalendar calendar;

    private LocalDate day;
    private UUID last;
    private final Deque<UUID> experts = new ArrayDeque<>();

    @Override
    public void open(Serializable checkpoint) {
        day = BusinessDate.of(job, calendar);
        last = checkpoint == null ? null : UUID.fromString(checkpoint.toString());
        experts.addAll(settlement.expertsToSettle(day, last));
    }

    @Override
    public Object readItem() {
        UUID expert = experts.poll();
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
