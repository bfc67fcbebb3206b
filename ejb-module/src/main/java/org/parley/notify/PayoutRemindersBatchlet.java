package org.parley.notify;

import jakarta.batch.api.AbstractBatchlet;
import jakarta.batch.runtime.context.JobContext;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.parley.common.BusinessCalendar;

import java.time.Duration;
import java.time.LocalDate;

/** The payout-reminders job's one step; its exit status says how many reminders went out. */
@Dependent
@Named("payoutReminders")
public class PayoutRemindersBatchlet extends AbstractBatchlet {

    @Inject
    private JobContext job;
    @Inject
    private PayoutReminders reminders;
    @Inject
    private BusinessCalendar calendar;

    @Override
    public String process() {
        String hours = job.getProperties().getProperty("minAgeHours");
        LocalDate day = calendar.today();
        PayoutReminders.Sent sent = reminders.remind(day, Duration.ofHours(hours == null || hours.isBlank() ? 24 : Long.parseLong(hours)));
        job.setExitStatus("SENT: " + sent.adminReminders() + " to admins, " + sent.expertReminders() + " to experts");
        return "COMPLETED";
    }
}
