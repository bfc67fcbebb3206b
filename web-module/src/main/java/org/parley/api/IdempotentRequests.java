package org.parley.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;
import org.parley.api.error.Problem;
import org.parley.common.DomainException;
import org.parley.common.Problems;
import org.parley.common.idempotency.IdempotencyStore;
import org.parley.common.idempotency.StoredResponse;
import org.parley.identity.Caller;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Supplier;

/**
 * Runs a money-moving request under its {@code Idempotency-Key}: the first response (success or refusal) is stored
 * with the key and replayed for a repeat with the same body; a different body with the same key is 422.
 */
@ApplicationScoped
public class IdempotentRequests {

    public static final String HEADER = "Idempotency-Key";

    @Inject
    private IdempotencyStore store;

    /** Like {@link #run} but the key is required (400 without it). */
    public Response require(Caller caller, String key, String operation, Object request, int status, Supplier<Object> action) {
        if (key == null || key.isBlank()) {
            throw Problems.badRequest("the " + HEADER + " header is required for this request",
                    List.of(new DomainException.FieldError(HEADER, "required")));
        }
        return run(caller, key, operation, request, status, action);
    }

    /** Runs {@code action} once per key (or plainly when {@code key} is null) and answers {@code status} with its result. */
    public Response run(Caller caller, String key, String operation, Object request, int status, Supplier<Object> action) {
        if (key == null) {
            return Response.status(status).entity(action.get()).build();
        }
        if (key.isBlank() || key.length() > 200) {
            throw Problems.badRequest("the " + HEADER + " header must be 1 to 200 characters",
                    List.of(new DomainException.FieldError(HEADER, "1 to 200 characters")));
        }
        String fingerprint = fingerprint(operation, request);
        StoredResponse response;
        try {
            response = store.execute(caller.id(), key, fingerprint,
                    () -> new StoredResponse(status, "application/json", json(action.get())));
        } catch (DomainException e) {
            if (!isStorableRefusal(e)) {
                throw e;
            }
            Problem problem = Problem.of(e.status(), e.slug(), e.detail(), operation, e.errors());
            response = store.recordRefusal(caller.id(), key, fingerprint,
                    new StoredResponse(e.status(), Problem.MEDIA_TYPE, json(problem)));
        }
        return Response.status(response.status()).type(response.contentType()).entity(response.body()).build();
    }

    /** A deterministic refusal of this request (4xx), not a transient failure or a problem with the key itself. */
    private static boolean isStorableRefusal(DomainException e) {
        return e.status() >= 400 && e.status() < 500 && e.status() != 401 && e.status() != 429
                && !e.slug().startsWith("idempotency-");
    }

    private static String fingerprint(String operation, Object request) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((operation + "\n" + json(request)).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String json(Object value) {
        try {
            return JacksonConfig.MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("response is not serialisable", e);
        }
    }
}
