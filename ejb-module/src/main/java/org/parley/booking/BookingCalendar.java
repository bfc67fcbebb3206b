package org.parley.booking;

import net.fortuna.ical4j.data.CalendarOutputter;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.component.VEvent;
import net.fortuna.ical4j.model.property.Description;
import net.fortuna.ical4j.model.property.DtStamp;
import net.fortuna.ical4j.model.property.Method;
import net.fortuna.ical4j.model.property.Organizer;
import net.fortuna.ical4j.model.property.ProdId;
import net.fortuna.ical4j.model.property.Sequence;
import net.fortuna.ical4j.model.property.Status;
import net.fortuna.ical4j.model.property.Uid;
import net.fortuna.ical4j.model.property.Url;
import net.fortuna.ical4j.model.property.immutable.ImmutableCalScale;
import net.fortuna.ical4j.model.property.immutable.ImmutableMethod;
import net.fortuna.ical4j.model.property.immutable.ImmutableStatus;
import net.fortuna.ical4j.model.property.immutable.ImmutableVersion;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;

/**
 * A booking's iCalendar (RFC 5545) invitation, built with ical4j: METHOD:REQUEST when it is accepted, METHOD:CANCEL
 * with the same UID when it is called off. The UID is the booking's; SEQUENCE grows with every message about it, so
 * a calendar replaces what it had (a rescheduled booking's new time). Times are UTC instants.
 */
final class BookingCalendar {

    private BookingCalendar() {
    }

    /** What an invitation says. */
    record Invite(String uid, Instant startsAt, Duration duration, String summary, String description, String organizerEmail,
                  String joinUrl, int sequence, Instant stamp) {
    }

    static String request(Invite invite) {
        return write(invite, ImmutableMethod.REQUEST, ImmutableStatus.VEVENT_CONFIRMED);
    }

    static String cancel(Invite invite) {
        return write(invite, ImmutableMethod.CANCEL, ImmutableStatus.VEVENT_CANCELLED);
    }

    private static String write(Invite invite, Method method, Status status) {
        VEvent event = new VEvent(invite.startsAt(), invite.duration(), invite.summary());
        event.add(new Uid(invite.uid()));
        event.add(new DtStamp(invite.stamp()));
        event.add(new Sequence(invite.sequence()));
        event.add(status);
        event.add(new Description(invite.description()));
        event.add(new Organizer(URI.create("mailto:" + invite.organizerEmail())));
        if (invite.joinUrl() != null) {
            event.add(new Url(URI.create(invite.joinUrl())));
        }
        Calendar calendar = new Calendar();
        calendar.add(new ProdId("-//Parley//Bookings//EN"));
        calendar.add(ImmutableVersion.VERSION_2_0);
        calendar.add(ImmutableCalScale.GREGORIAN);
        calendar.add(method);
        calendar.add(event);
        StringWriter out = new StringWriter();
        try {
            new CalendarOutputter(false).output(calendar, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
