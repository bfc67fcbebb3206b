package org.parley.notify;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class PhonesTest {

    @Test
    void numbersBecomeDigitsWithTheirCountryCodeIndiasAddedToTenDigits() {
        assertEquals("919876543210", Phones.international("+91 98765-43210"));
        assertEquals("919876543210", Phones.international("9876543210"));
        assertEquals("919876543210", Phones.international("09876543210"));
        assertEquals("447911123456", Phones.international("+44 7911 123456"));
        assertNull(Phones.international("12345"));
        assertNull(Phones.international(null));
    }
}
