package org.parley.care;

import jakarta.batch.api.AbstractBatchlet;
import jakarta.batch.runtime.context.JobContext;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.time.Clock;
import java.time.Instant;

/** The remedy-reminders job's one step: at its {@code at} parameter (an instant; default now from the clock). */
@Dependent
@Named("remedyReminders")
public class RemedyRemindersBatchlet extends AbstractBatchlet {

    @Inject
    private JobContext job;
    @Inject
    private RemedyReminders reminders;
    @Inject
    private Clock clock;

    @Override
    public String process() {
        String at = job.getProperties().getProperty("at");
        RemedyReminders.Sent sent = reminders.remind(at == null || at.isBlank() ? clock.instant() : Instant.parse(at));
        job.setExitStatus("SENT: " + sent.reminders() + " reminders, " + sent.finished() + " remedies finished");
        return "COMPLETED";
    }
}
