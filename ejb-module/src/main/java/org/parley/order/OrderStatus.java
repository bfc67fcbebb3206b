package org.parley.order;

/** Where an order is: NEW → ASSIGNED → IN_PROGRESS → DELIVERED → COMPLETED, or CANCELLED before completion. */
public enum OrderStatus {
    NEW, ASSIGNED, IN_PROGRESS, DELIVERED, COMPLETED, CANCELLED;

    boolean isOpen() {
        return this == NEW || this == ASSIGNED || this == IN_PROGRESS;
    }
}
