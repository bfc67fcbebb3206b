package org.parley.booking;

import net.fortuna.ical4j.data.CalendarBuilder;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.component.VEvent;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;

class BookingCalendarTest {

    private static final BookingCalendar.Invite INVITE = new BookingCalendar.Invite("b-1@parley", Instant.parse("2026-12-10T03:30:00Z"),
            Duration.ofMinutes(45), "Parley chat consultation", "chat, 45 minutes", "no-reply@parley.local",
            "http://localhost:8080/bookings/b-1", 3, Instant.parse("2026-12-01T10:00:00Z"));

    private static VEvent event(Calendar c) {
        return c.<VEvent>getComponents().get(0);
    }

    @Test
    void anInvitationParsesBackToItsInstantDurationUidSequenceAndMethodRequest() throws Exception {
        Calendar c = new CalendarBuilder().build(new StringReader(BookingCalendar.request(INVITE)));
        assertEquals("REQUEST", c.getProperty("METHOD").orElseThrow().getValue());
        VEvent e = event(c);
        assertEquals("b-1@parley", e.getProperty("UID").orElseThrow().getValue());
        assertEquals("20261210T033000Z", e.getProperty("DTSTART").orElseThrow().getValue());
        assertEquals("PT45M", e.getProperty("DURATION").orElseThrow().getValue());
        assertEquals("3", e.getProperty("SEQUENCE").orElseThrow().getValue());
        assertEquals("CONFIRMED", e.getProperty("STATUS").orElseThrow().getValue());
    }

    @Test
    void aCancellationKeepsTheUidAndSaysCancel() throws Exception {
        Calendar c = new CalendarBuilder().build(new StringReader(BookingCalendar.cancel(INVITE)));
        assertEquals("CANCEL", c.getProperty("METHOD").orElseThrow().getValue());
        assertEquals("b-1@parley", event(c).getProperty("UID").orElseThrow().getValue());
        assertEquals("CANCELLED", event(c).getProperty("STATUS").orElseThrow().getValue());
    }
}
