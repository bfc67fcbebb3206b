package org.parley.common.db;

import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceException;
import org.parley.common.DomainException;
import org.parley.common.Sql;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.sql.Timestamp;
import java.util.function.Supplier;

/** Row helpers: locking, inserting under a unique constraint, reading timestamps from native queries. */
public final class Rows {

    private Rows() {
    }

    /**
     * The entity with its row locked (SELECT ... FOR UPDATE) and its state re-read after the lock was granted, even
     * if this transaction had already loaded it: decisions taken under the lock see what the last holder committed.
     */
    public static <T> T lockedFresh(EntityManager em, Class<T> type, Object id) {
        T entity = em.find(type, id);
        if (entity != null) {
            em.refresh(entity, LockModeType.PESSIMISTIC_WRITE);
        }
        return entity;
    }

    /**
     * Inserts {@code entity} now; if the database refuses it by the named unique constraint (the race-proof check),
     * throws {@code conflict} instead.
     */
    public static void insertUnique(EntityManager em, Object entity, String constraint, Supplier<DomainException> conflict) {
        try {
            em.persist(entity);
            em.flush();
        } catch (PersistenceException e) {
            if (Sql.isUniqueViolation(e, constraint)) {
                throw conflict.get();
            }
            throw e;
        }
    }

    /** A timestamptz column of a native query result as an Instant, whichever type the driver handed back. */
    public static Instant instant(Object value) {
        if (value instanceof Timestamp ts) {
            return ts.toInstant();
        }
        if (value instanceof OffsetDateTime odt) {
            return odt.toInstant();
        }
        if (value instanceof Instant i) {
            return i;
        }
        throw new IllegalStateException("unexpected timestamp type " + value.getClass());
    }
}
