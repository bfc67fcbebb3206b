package org.parley.expert;

import jakarta.batch.api.AbstractBatchlet;
import jakarta.batch.runtime.context.JobContext;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;

/** The expert-import job's last step: the file's counts become the execution's exit status. */
@Dependent
@Named("expertImportSummary")
public class ExpertImportSummary extends AbstractBatchlet {

    @Inject
    private JobContext job;
    @Inject
    private ExpertImportService imports;

    @Override
    public String process() {
        ExpertImportService.ImportView v = imports.view(ExpertImportWriter.importId(job));
        job.setExitStatus("IMPORTED: " + v.imported() + ", SKIPPED: " + v.skipped() + ", REJECTED: " + v.rejected()
                + " of " + v.totalRows() + " rows");
        return "COMPLETED";
    }
}
