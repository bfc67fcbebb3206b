package org.parley.common.db;

import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;

/** Row-lock helpers. */
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
}
