package org.parley.batch;

import jakarta.batch.operations.JobExecutionAlreadyCompleteException;
import jakarta.batch.operations.JobExecutionIsRunningException;
import jakarta.batch.operations.JobExecutionNotMostRecentException;
import jakarta.batch.operations.JobExecutionNotRunningException;
import jakarta.batch.operations.JobOperator;
import jakarta.batch.operations.JobRestartException;
import jakarta.batch.operations.NoSuchJobException;
import jakarta.batch.operations.NoSuchJobExecutionException;
import jakarta.batch.runtime.BatchRuntime;
import jakarta.batch.runtime.JobExecution;
import jakarta.batch.runtime.JobInstance;
import jakarta.batch.runtime.Metric;
import jakarta.batch.runtime.StepExecution;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import org.parley.audit.AuditLog;
import org.parley.common.BusinessCalendar;
import org.parley.common.DomainException.FieldError;
import org.parley.common.Problems;
import org.parley.expert.ExpertImportService;
import org.parley.identity.Caller;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The operator's view of Jakarta Batch: start a known job with checked parameters, list and inspect executions with
 * their step metrics, stop and restart them. Starts, stops and restarts are audited. The job repository is JBeret's
 * JDBC repository on ParleyDS, so every node sees every execution.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class BatchOperations {

    @Inject
    private AuditLog audit;
    @Inject
    private BusinessCalendar calendar;
    @Inject
    private ExpertImportService imports;
    @Inject
    private org.parley.notify.Broadcasts broadcasts;

    public record StepView(String name, String status, String exitStatus, Map<String, Long> metrics) {
    }

    /** How far an execution's work has come, where the job can tell: {@code done} of {@code total} items. */
    public record Progress(long done, long total, int percent) {
    }

    public record ExecutionView(long id, String jobName, String status, String startTime, String endTime, String exitStatus,
                                Map<String, String> parameters, List<StepView> steps, Progress progress) {
    }

    private static JobOperator operator() {
        return BatchRuntime.getJobOperator();
    }

    /** Starts {@code jobName} with {@code parameters} (checked against the job's list; defaults filled in). */
    public long start(Caller admin, String jobName, Map<String, String> parameters) {
        BatchJob job = BatchJob.byName(jobName).orElseThrow(() -> Problems.notFound("job"));
        Properties props = checked(job, parameters == null ? Map.of() : parameters);
        long id = operator().start(job.jobName(), props);
        attach(job, props, id);
        audit.record(admin, "BATCH_STARTED", "JOB_EXECUTION", id, Map.of("job", job.jobName(), "parameters", props.toString()));
        return id;
    }

    /** Starts a scheduled run (no caller: the platform); parameters as for {@link #start}. */
    public long startScheduled(BatchJob job, Map<String, String> parameters) {
        Properties props = checked(job, parameters);
        long id = operator().start(job.jobName(), props);
        attach(job, props, id);
        audit.record(null, "BATCH_STARTED", "JOB_EXECUTION", id, Map.of("job", job.jobName(), "scheduled", true));
        return id;
    }

    /** A chunk size operators may ask for: a whole number from 1 to 1000. */
    public static boolean isChunkSize(String value) {
        return value.matches("[0-9]{1,4}") && Integer.parseInt(value) >= 1 && Integer.parseInt(value) <= 1000;
    }

    /** An expert import remembers its latest execution (its progress view links to it). */
    private void attach(BatchJob job, Properties props, long executionId) {
        if (job == BatchJob.EXPERT_IMPORT) {
            imports.attachExecution(java.util.UUID.fromString(props.getProperty("importId")), executionId);
        }
    }

    private Properties checked(BatchJob job, Map<String, String> parameters) {
        List<FieldError> errors = new ArrayList<>();
        parameters.forEach((key, value) -> {
            if (!job.parameters().containsKey(key)) {
                errors.add(new FieldError("parameters." + key, "unknown parameter of " + job.jobName()));
            }
        });
        Properties props = new Properties();
        props.putAll(parameters);
        if (job == BatchJob.NIGHTLY_SETTLEMENT) {
            String date = parameters.get("businessDate");
            if (date == null || date.isBlank()) {
                props.setProperty("businessDate", calendar.yesterday().toString());
            } else {
                try {
                    LocalDate.parse(date);
                } catch (DateTimeParseException e) {
                    errors.add(new FieldError("parameters.businessDate", "must be a date YYYY-MM-DD"));
                }
            }
            String chunk = parameters.get("chunkSize");
            if (chunk == null) {
                props.setProperty("chunkSize", "200");
            }
            if (chunk != null && !isChunkSize(chunk)) {
                errors.add(new FieldError("parameters.chunkSize", "must be a whole number from 1 to 1000"));
            }
        }
        if (job == BatchJob.PAYOUT_REMINDERS) {
            String hours = parameters.get("minAgeHours");
            if (hours != null && !(hours.matches("[0-9]{1,3}") && Integer.parseInt(hours) >= 1 && Integer.parseInt(hours) <= 720)) {
                errors.add(new FieldError("parameters.minAgeHours", "must be a whole number of hours from 1 to 720"));
            }
        }
        if (job == BatchJob.REMEDY_REMINDERS && parameters.get("at") != null) {
            try {
                java.time.Instant.parse(parameters.get("at"));
            } catch (DateTimeParseException e) {
                errors.add(new FieldError("parameters.at", "must be an ISO-8601 instant such as 2026-03-29T06:45:00Z"));
            }
        }
        if (job == BatchJob.BROADCAST) {
            String broadcastId = parameters.get("broadcastId");
            if (broadcastId == null || !broadcastId.matches("[0-9a-fA-F-]{36}") || !broadcasts.exists(java.util.UUID.fromString(broadcastId))) {
                errors.add(new FieldError("parameters.broadcastId", "is required and must name a broadcast (POST /admin/broadcasts)"));
            }
            String chunk = parameters.get("chunkSize");
            if (chunk == null) {
                props.setProperty("chunkSize", "100");
            } else if (!isChunkSize(chunk)) {
                errors.add(new FieldError("parameters.chunkSize", "must be a whole number from 1 to 1000"));
            }
        }
        if (job == BatchJob.EXPERT_IMPORT) {
            String importId = parameters.get("importId");
            if (importId == null || importId.isBlank()) {
                errors.add(new FieldError("parameters.importId", "is required: upload the file with POST /admin/expert-imports"));
            } else if (!importId.matches("[0-9a-fA-F-]{36}") || !imports.exists(java.util.UUID.fromString(importId))) {
                errors.add(new FieldError("parameters.importId", "is not the id of an uploaded file"));
            }
            String chunk = parameters.get("chunkSize");
            if (chunk == null) {
                props.setProperty("chunkSize", "100");
            } else if (!isChunkSize(chunk)) {
                errors.add(new FieldError("parameters.chunkSize", "must be a whole number from 1 to 1000"));
            }
        }
        if (!errors.isEmpty()) {
            throw Problems.badRequest("invalid job parameters", errors);
        }
        return props;
    }

    /** The executions of {@code jobName} (all known jobs when null), newest first. */
    public List<ExecutionView> executions(String jobName, int limit) {
        List<String> names = new ArrayList<>();
        if (jobName == null) {
            for (BatchJob j : BatchJob.values()) {
                names.add(j.jobName());
            }
        } else {
            names.add(BatchJob.byName(jobName).orElseThrow(() -> Problems.notFound("job")).jobName());
        }
        List<ExecutionView> out = new ArrayList<>();
        for (String name : names) {
            List<JobInstance> instances;
            try {
                instances = operator().getJobInstances(name, 0, limit);
            } catch (NoSuchJobException e) {
                continue; // never run yet
            }
            for (JobInstance instance : instances) {
                for (JobExecution e : operator().getJobExecutions(instance)) {
                    out.add(view(e, false));
                }
            }
        }
        out.sort(Comparator.comparingLong(ExecutionView::id).reversed());
        return out.size() > limit ? out.subList(0, limit) : out;
    }

    public ExecutionView execution(long id) {
        try {
            return view(operator().getJobExecution(id), true);
        } catch (NoSuchJobExecutionException e) {
            throw Problems.notFound("execution");
        }
    }

    public void stop(Caller admin, long id) {
        try {
            operator().stop(id);
        } catch (NoSuchJobExecutionException e) {
            throw Problems.notFound("execution");
        } catch (JobExecutionNotRunningException e) {
            throw Problems.conflict("execution-not-running", "execution " + id + " is not running");
        }
        audit.record(admin, "BATCH_STOPPED", "JOB_EXECUTION", id, Map.of());
    }

    /** Restarts a stopped or failed execution from its checkpoint; returns the new execution's id. */
    public long restart(Caller admin, long id) {
        long restarted;
        Properties parameters;
        try {
            parameters = operator().getParameters(id);
            restarted = operator().restart(id, parameters);
        } catch (NoSuchJobExecutionException e) {
            throw Problems.notFound("execution");
        } catch (JobExecutionAlreadyCompleteException e) {
            throw Problems.conflict("execution-complete", "execution " + id + " completed; start a new one instead");
        } catch (JobExecutionNotMostRecentException e) {
            throw Problems.conflict("execution-not-latest", "execution " + id + " is not the latest of its job instance");
        } catch (JobExecutionIsRunningException e) {
            throw Problems.conflict("execution-running", "execution " + id + " is still running");
        } catch (JobRestartException e) {
            throw Problems.conflict("execution-not-restartable", "execution " + id + " cannot be restarted: " + e.getMessage());
        }
        long started = restarted;
        BatchJob.byName(operator().getJobExecution(restarted).getJobName()).ifPresent(j -> attach(j, parameters, started));
        audit.record(admin, "BATCH_RESTARTED", "JOB_EXECUTION", restarted, Map.of("restartOf", id));
        return restarted;
    }

    private ExecutionView view(JobExecution e, boolean withSteps) {
        Map<String, String> params = new LinkedHashMap<>();
        Properties p = e.getJobParameters();
        if (p != null) {
            p.stringPropertyNames().stream().sorted().forEach(k -> params.put(k, p.getProperty(k)));
        }
        List<StepView> steps = new ArrayList<>();
        if (withSteps) {
            for (StepExecution s : operator().getStepExecutions(e.getExecutionId())) {
                Map<String, Long> metrics = new LinkedHashMap<>();
                for (Metric m : s.getMetrics()) {
                    metrics.put(metricName(m.getType()), m.getValue());
                }
                steps.add(new StepView(s.getStepName(), s.getBatchStatus().name(), s.getExitStatus(), metrics));
            }
        }
        return new ExecutionView(e.getExecutionId(), e.getJobName(), e.getBatchStatus().name(),
                e.getStartTime() == null ? null : e.getStartTime().toInstant().toString(),
                e.getEndTime() == null ? null : e.getEndTime().toInstant().toString(), e.getExitStatus(), params, steps,
                withSteps ? progress(e.getJobName(), params) : null);
    }

    /** Rows of the file for an expert import, recipients of a broadcast; other jobs do not know their total up front. */
    private Progress progress(String jobName, Map<String, String> params) {
        if (BatchJob.BROADCAST.jobName().equals(jobName) && params.get("broadcastId") != null) {
            org.parley.notify.Broadcasts.View v = broadcasts.view(java.util.UUID.fromString(params.get("broadcastId")));
            return new Progress(v.processed(), v.audienceSize(), v.audienceSize() == 0 ? 100 : (int) Math.min(100, 100 * v.processed() / v.audienceSize()));
        }
        if (BatchJob.EXPERT_IMPORT.jobName().equals(jobName) && params.get("importId") != null) {
            ExpertImportService.ImportView v = imports.view(java.util.UUID.fromString(params.get("importId")));
            return new Progress(v.processedRows(), v.totalRows(), v.totalRows() == 0 ? 100 : (int) (100 * v.processedRows() / v.totalRows()));
        }
        return null;
    }

    /** READ_COUNT → readCount. */
    private static String metricName(Metric.MetricType type) {
        String[] words = type.name().toLowerCase().split("_");
        StringBuilder b = new StringBuilder(words[0]);
        for (int i = 1; i < words.length; i++) {
            b.append(Character.toUpperCase(words[i].charAt(0))).append(words[i].substring(1));
        }
        return b.toString();
    }
}
