package org.parley.settlement;

import jakarta.batch.api.chunk.AbstractItemWriter;
import jakarta.batch.runtime.context.JobContext;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.parley.common.BusinessCalendar;

import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/** Settles the chunk's experts together, set-based, in the chunk's transaction (a failed chunk rolls back whole and is retried on restart). */
@Dependent
@Named("settlementWriter")
public class SettlementWriter extends AbstractItemWriter {

    @Inject
    private JobContext job;
    @Inject
    private SettlementService settlement;
    @Inject
    private BusinessCalendar calendar;

    private LocalDate day;

    @Override
    public void open(java.io.Serializable checkpoint) {
        day = BusinessDate.of(job, calendar);
    }

    @Override
    public void writeItems(List<Object> experts) {
        settlement.settleExperts(experts.stream().map(UUID.class::cast).toList(), day);
    }
}
