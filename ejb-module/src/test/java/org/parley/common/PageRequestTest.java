package org.parley.common;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PageRequestTest {

    @Test
    void defaultsToTheFirstPageOfTwenty() {
        PageRequest p = PageRequest.of(null, null);
        assertEquals(0, p.page());
        assertEquals(20, p.size());
        assertEquals(40, PageRequest.of(2, 20).offset());
    }

    @Test
    void negativePagesAndSizesOutOfRangeAre400WithFieldErrors() {
        DomainException e = assertThrows(DomainException.class, () -> PageRequest.of(-1, 0));
        assertEquals(400, e.status());
        assertEquals(2, e.errors().size());
        assertThrows(DomainException.class, () -> PageRequest.of(0, 101));
    }
}
