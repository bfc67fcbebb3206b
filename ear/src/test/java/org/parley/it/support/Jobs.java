package org.parley.it.support;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Batch jobs through the operator API: start one, wait until its execution has finished. */
public final class Jobs {

    /** The batch statuses after which an execution does nothing more. */
    public static final Set<String> FINISHED = Set.of("COMPLETED", "FAILED", "STOPPED", "ABANDONED");

    private Jobs() {
    }

    /** Starts {@code job} with {@code parameters} (202 expected) and returns its execution id. */
    public static long start(Api api, String admin, String job, Map<String, String> parameters) {
        Api.Resp r = api.post("/admin/batch/jobs/" + job + "/executions", admin, Map.of("parameters", parameters));
        assertEquals(202, r.status(), r::toString);
        return r.json().get("executionId").asLong();
    }

    /** The execution {@code id} once it has finished (whatever its status), waiting up to {@code timeout}. */
    public static JsonNode awaitFinished(Api api, String admin, long id, Duration timeout) {
        return Eventually.until(timeout, () -> api.get("/admin/batch/executions/" + id, admin).json(),
                e -> FINISHED.contains(e.path("status").asText()), "execution " + id + " to finish");
    }

    /** Starts {@code job} and returns its execution once finished (within a minute). */
    public static JsonNode run(Api api, String admin, String job, Map<String, String> parameters) {
        return awaitFinished(api, admin, start(api, admin, job, parameters), Duration.ofSeconds(60));
    }
}
