package org.parley.expert;

import jakarta.batch.api.chunk.AbstractItemWriter;
import jakarta.batch.runtime.context.JobContext;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.util.List;
import java.util.UUID;

/** Records a chunk of checked rows in the chunk's transaction (a failed chunk rolls back whole and is redone on restart). */
@Dependent
@Named("expertImportWriter")
public class ExpertImportWriter extends AbstractItemWriter {

    @Inject
    private JobContext job;
    @Inject
    private ExpertImportService imports;

    static UUID importId(JobContext job) {
        return UUID.fromString(job.getProperties().getProperty("importId"));
    }

    @Override
    public void writeItems(List<Object> rows) {
        imports.record(importId(job), rows.stream().map(Applicant.Checked.class::cast).toList());
    }
}
