package org.parley.settlement;

import jakarta.batch.runtime.context.JobContext;
import org.parley.common.BusinessCalendar;

import java.time.LocalDate;

/** The business day of a settlement execution: its businessDate property, or yesterday in the platform's zone. */
final class BusinessDate {

    private BusinessDate() {
    }

    static LocalDate of(JobContext job, BusinessCalendar calendar) {
        String value = job.getProperties().getProperty("businessDate");
        return value == null || value.isBlank() ? calendar.yesterday() : LocalDate.parse(value);
    }
}
