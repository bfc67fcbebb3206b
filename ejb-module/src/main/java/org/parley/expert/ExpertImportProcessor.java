package org.parley.expert;

import jakarta.batch.api.chunk.ItemProcessor;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Named;

/** Checks one row: an {@link Applicant.Valid} to import or an {@link Applicant.Invalid} with its reasons. */
@Dependent
@Named("expertImportProcessor")
public class ExpertImportProcessor implements ItemProcessor {

    @Override
    public Object processItem(Object row) {
        return Applicant.check((ApplicantCsv.Row) row);
    }
}
