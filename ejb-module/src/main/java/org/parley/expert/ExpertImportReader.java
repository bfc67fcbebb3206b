package org.parley.expert;

import jakarta.batch.api.chunk.AbstractItemReader;
import jakarta.batch.runtime.context.JobContext;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.io.Serializable;
import java.util.Iterator;
import java.util.UUID;

/**
 * Reads the rows of the job's uploaded file (job parameter importId). The checkpoint is the number of rows handed out
 * and committed, so a restarted execution skips exactly those and continues with the next row.
 */
@Dependent
@Named("expertImportReader")
public class ExpertImportReader extends AbstractItemReader {

    @Inject
    private JobContext job;
    @Inject
    private ExpertImportService imports;

    private Iterator<ApplicantCsv.Row> rows;
    private long consumed;

    @Override
    public void open(Serializable checkpoint) {
        UUID importId = ExpertImportWriter.importId(job);
        consumed = checkpoint == null ? 0 : (Long) checkpoint;
        rows = ApplicantCsv.open(imports.content(importId), consumed);
    }

    @Override
    public Object readItem() {
        if (!rows.hasNext()) {
            return null;
        }
        consumed++;
        return rows.next();
    }

    @Override
    public Serializable checkpointInfo() {
        return consumed;
    }
}
