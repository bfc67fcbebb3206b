package org.parley.settlement;

import jakarta.batch.api.AbstractBatchlet;
import jakarta.batch.runtime.context.JobContext;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.parley.analytics.Analytics;
import org.parley.common.BusinessCalendar;

/** The rollup step: keeps the settled day's operator figures ({@link Analytics#rollUp}); the job's exit status stays the reconciliation's. */
@Dependent
@Named("settlementRollup")
public class SettlementRollup extends AbstractBatchlet {

    @Inject
    private JobContext job;
    @Inject
    private Analytics analytics;
    @Inject
    private BusinessCalendar calendar;

    @Override
    public String process() {
        return analytics.rollUp(BusinessDate.of(job, calendar)) ? "KEPT" : "DAY_NOT_OVER";
    }
}
