package org.parley.api.batch;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.parley.api.security.CurrentCaller;
import org.parley.batch.BatchJob;
import org.parley.batch.BatchOperations;
import org.parley.batch.BatchSchedules;
import org.parley.common.BusinessCalendar;

import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Operators' batch API: the jobs and their schedules, start with parameters, executions, stop, restart. */
@Path("/admin/batch")
@RolesAllowed("ADMIN")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class AdminBatchResource {

    @Inject
    private BatchOperations operations;
    @Inject
    private BatchSchedules schedules;
    @Inject
    private BusinessCalendar calendar;
    @Inject
    private CurrentCaller caller;

    /** A start request: the job's parameters by name (see GET /admin/batch/jobs). */
    public record StartRequest(Map<String, String> parameters) {
    }

    @GET
    @Path("/jobs")
    public Map<String, List<Map<String, Object>>> jobs() {
        Map<String, Instant> next = schedules.nextRuns();
        return Map.of("items", Arrays.stream(BatchJob.values()).map(j -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", j.jobName());
            m.put("schedule", j.schedule());
            m.put("timeZone", calendar.zone().getId());
            m.put("nextRun", next.containsKey(j.jobName()) ? next.get(j.jobName()).toString() : null);
            m.put("description", j.description());
            m.put("parameters", j.parameters());
            return m;
        }).toList());
    }

    @POST
    @Path("/jobs/{jobName}/executions")
    public Response start(@PathParam("jobName") String jobName, StartRequest request) {
        long id = operations.start(caller.get(), jobName, request == null ? null : request.parameters());
        return Response.accepted(Map.of("executionId", id)).build();
    }

    @GET
    @Path("/executions")
    public Map<String, List<BatchOperations.ExecutionView>> executions(@QueryParam("jobName") String jobName,
                                                                       @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(500) int limit) {
        return Map.of("items", operations.executions(jobName, limit));
    }

    @GET
    @Path("/executions/{id}")
    public BatchOperations.ExecutionView execution(@PathParam("id") long id) {
        return operations.execution(id);
    }

    @POST
    @Path("/executions/{id}/stop")
    public Response stop(@PathParam("id") long id) {
        operations.stop(caller.get(), id);
        return Response.accepted(Map.of("executionId", id)).build();
    }

    @POST
    @Path("/executions/{id}/restart")
    public Response restart(@PathParam("id") long id) {
        return Response.accepted(Map.of("executionId", operations.restart(caller.get(), id))).build();
    }
}
