package org.parley.common;

import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class AccessTest {

    private record Ticket(UUID owner) implements Access.Owned {
        @Override
        public boolean isOwnedBy(UUID accountId) {
            return owner.equals(accountId);
        }
    }

    @Test
    void theOwnerGetsTheObject() {
        UUID me = UUID.randomUUID();
        Ticket t = new Ticket(me);
        assertSame(t, Access.requireOwner(t, me, "ticket"));
    }

    @Test
    void someoneElsesObjectLooksExactlyLikeAMissingOne() {
        Ticket t = new Ticket(UUID.randomUUID());
        DomainException foreign = assertThrows(DomainException.class, () -> Access.requireOwner(t, UUID.randomUUID(), "ticket"));
        DomainException missing = assertThrows(DomainException.class, () -> Access.requireOwner(null, UUID.randomUUID(), "ticket"));
        assertEquals(404, foreign.status());
        assertEquals(missing.status(), foreign.status());
        assertEquals(missing.detail(), foreign.detail());
    }
}
