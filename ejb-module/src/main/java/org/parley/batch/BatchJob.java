package org.parley.batch;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/**
 * The jobs operators may start, with the parameters each accepts and its schedule (an EJB timer in
 * {@link BatchSchedules}; times are in the platform's time zone).
 */
public enum BatchJob {

    NIGHTLY_SETTLEMENT("nightly-settlement", "daily at 00:30",
            "moves the business day's net session earnings from pending to available per expert, writes the day's statements and reconciles the day",
            Map.of("businessDate", "YYYY-MM-DD, the business day to settle (default: yesterday)",
                    "chunkSize", "experts per transaction, 1 to 1000 (default 200)")),
    PAYOUT_REMINDERS("payout-reminders", "daily at 09:00",
            "reminds admins of payout requests waiting longer than minAgeHours and experts whose available earnings reach the payout minimum",
            Map.of("minAgeHours", "how long a request waits before admins are reminded, 1 to 720 (default 24)")),
    REMEDY_REMINDERS("remedy-reminders", "every 5 minutes",
            "sends each active remedy's daily reminder once its local time has come in the remedy's time zone, and finishes remedies past their last day",
            Map.of("at", "the instant to act at, ISO-8601 such as 2026-03-29T06:45:00Z (default now)")),
    EXPERT_IMPORT("expert-import", "on upload (POST /admin/expert-imports)",
            "imports the expert applicants of an uploaded CSV file: good rows become applicants with an emailed invitation, emails already registered are skipped, bad rows are reported with line and reason",
            Map.of("importId", "the uploaded file's id (required)",
                    "chunkSize", "rows per transaction, 1 to 1000 (default 100)")),
    BROADCAST("broadcast", "on request (POST /admin/broadcasts)",
            "sends an admin's broadcast to its audience on the channels each recipient allows, each recipient once",
            Map.of("broadcastId", "the broadcast's id (required: create it with POST /admin/broadcasts)",
                    "chunkSize", "recipients per transaction, 1 to 1000 (default 100)"));

    private final String jobName;
    private final String schedule;
    private final String description;
    private final Map<String, String> parameters;

    BatchJob(String jobName, String schedule, String description, Map<String, String> parameters) {
        this.jobName = jobName;
        this.schedule = schedule;
        this.description = description;
        this.parameters = parameters;
    }

    public String jobName() {
        return jobName;
    }

    public String schedule() {
        return schedule;
    }

    public String description() {
        return description;
    }

    public Map<String, String> parameters() {
        return parameters;
    }

    public static Optional<BatchJob> byName(String name) {
        return Arrays.stream(values()).filter(j -> j.jobName.equals(name)).findFirst();
    }
}
