package org.parley.api.error;

import jakarta.persistence.OptimisticLockException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import org.parley.common.DomainException;
import org.parley.common.RareLog;

import java.sql.SQLException;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Anything else. A domain exception wrapped by the container is unwrapped; a lost optimistic-lock race is 409; a
 * database that cannot be reached (no connection to be had, the connection lost, a commit it failed in the middle of) is 503 {@code database-unavailable}
 * with Retry-After, logged once in a while rather than per request; the rest is 500 with a reference that the server
 * log carries next to the stack trace (which never leaks).
 */
@Provider
public class UnexpectedExceptionMapper implements ExceptionMapper<Throwable> {

    private static final Logger LOG = Logger.getLogger(UnexpectedExceptionMapper.class.getName());
    private static final RareLog DATABASE_DOWN = new RareLog(LOG, 10);

    @Context
    private UriInfo uri;

    @Override
    public Response toResponse(Throwable e) {
        String instance = uri.getRequestUri().getPath();
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof DomainException d) {
                return DomainExceptionMapper.respond(d, instance);
            }
            if (t instanceof OptimisticLockException) {
                return Problem.of(409, "stale-state", "the object changed meanwhile; reload and retry", instance, List.of()).toResponse();
            }
        }
        if (databaseUnavailable(e)) {
            DATABASE_DOWN.log(Level.WARNING, "The database is unavailable (503 to " + instance + "): " + rootMessage(e), null);
            return Response.fromResponse(Problem.of(503, "database-unavailable",
                    "the database cannot be reached just now; retry shortly (with the same Idempotency-Key, a request that did take effect answers its first result)", instance, List.of()).toResponse())
                    .header("Retry-After", "2").build();
        }
        String ref = UUID.randomUUID().toString();
        LOG.log(Level.SEVERE, "Unexpected error " + ref + " on " + instance, e);
        return Problem.of(500, "server-error", "an unexpected error occurred (reference " + ref + ")", instance, List.of()).toResponse();
    }

    /**
     * No connection could be had from the pool (a connector's ResourceException), or the one in use failed as a
     * connection (SQLState class 08, or 57P01..57P03: the server shut down, crashed or is starting up).
     */
    static boolean databaseUnavailable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getClass().getName().startsWith("jakarta.resource.")) {
                return true;
            }
            // the database failed while the transaction committed: its outcome is unknown to Parley too, and a retry
            // with the same Idempotency-Key answers the first result if it did commit
            if (t instanceof jakarta.transaction.HeuristicMixedException || t instanceof jakarta.transaction.HeuristicRollbackException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || Set.of("57P01", "57P02", "57P03").contains(sql.getSQLState()))) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
