package org.parley.settlement;

import jakarta.batch.api.AbstractBatchlet;
import jakarta.batch.runtime.context.JobContext;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.parley.common.BusinessCalendar;

/** The reconciliation step: proves the day and puts the verdict (and findings) in the job's exit status. */
@Dependent
@Named("settlementReconciliation")
public class SettlementReconciliation extends AbstractBatchlet {

    @Inject
    private JobContext job;
    @Inject
    private SettlementService settlement;
    @Inject
    private BusinessCalendar calendar;

    @Override
    public String process() {
        SettlementService.Reconciliation r = settlement.reconcile(BusinessDate.of(job, calendar), job.getExecutionId());
        String status = r.balanced() ? "BALANCED" : "UNBALANCED: " + String.join("; ", r.findings());
        job.setExitStatus(status.length() > 1_000 ? status.substring(0, 997) + "..." : status);
        return r.balanced() ? "BALANCED" : "UNBALANCED";
    }
}
