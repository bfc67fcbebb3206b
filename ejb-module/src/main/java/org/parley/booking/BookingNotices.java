package org.parley.booking;

import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.parley.common.BusinessCalendar;
import org.parley.notify.Notifications;

import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.UUID;

/**
 * What bookings tell their two participants, in-app and by email, in the transaction of the change that caused it
 * (the notifications outbox): so a notice exists exactly when its change committed, and each (booking, event) is
 * deduplicated by its key. Acceptance carries an iCalendar invitation, a cancellation of an accepted booking its
 * cancellation (same UID).
 */
@Stateless
public class BookingNotices {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("EEE d MMM yyyy, HH:mm zzz", Locale.ENGLISH);

    @PersistenceContext(unitName = "parley")
    private EntityManager em;
    @Inject
    private Notifications notifications;
    @Inject
    private BusinessCalendar calendar;
    @Inject
    private Clock clock;
    @Inject
    @ConfigProperty(name = "parley.public-url", defaultValue = "http://localhost:8080")
    String publicUrl;
    @Inject
    @ConfigProperty(name = "parley.mail.from", defaultValue = "no-reply@parley.local")
    String mailFrom;

    /** A new request (or a rescheduled one): the expert is asked to decide. */
    public void requested(Booking b, boolean rescheduled) {
        String what = rescheduled ? "rescheduled a booking" : "asked for a booking";
        tell(b.expertId(), b, "booking-" + (rescheduled ? "rescheduled" : "requested"),
                (rescheduled ? "A booking was rescheduled: " : "New booking request: ") + when(b),
                nameOf(b.userId()) + " " + what + " with you, " + describe(b) + ". Accept or reject it before it starts.", null);
    }

    public void accepted(Booking b) {
        String invite = invite(b, true);
        tell(b.userId(), b, "booking-accepted", "Booking confirmed: " + when(b),
                nameOf(b.expertId()) + " accepted your booking, " + describe(b) + ". Join from the app up to "
                        + Booking.JOIN_EARLY_MINUTES + " minutes before it starts.", invite);
        tell(b.expertId(), b, "booking-accepted", "Booking confirmed: " + when(b),
                "You accepted the booking with " + nameOf(b.userId()) + ", " + describe(b) + ".", invite);
    }

    public void rejected(Booking b) {
        tell(b.userId(), b, "booking-rejected", "Booking declined: " + when(b), nameOf(b.expertId()) + " could not take your booking, "
                + describe(b) + (b.reason() == null ? "" : " (" + b.reason() + ")") + ". The hold of " + rupees(b.released())
                + " is back in your wallet.", null);
    }

    public void expired(Booking b) {
        tell(b.userId(), b, "booking-expired", "Booking expired: " + when(b), "Your booking, " + describe(b)
                + ", was not accepted before its start. The hold of " + rupees(b.released()) + " is back in your wallet.", null);
        tell(b.expertId(), b, "booking-expired", "Booking expired: " + when(b), "The booking request of " + nameOf(b.userId())
                + ", " + describe(b) + ", expired undecided.", null);
    }

    /** Both sides; {@code wasAccepted} adds the calendar cancellation. */
    public void cancelled(Booking b, boolean wasAccepted) {
        String cancel = wasAccepted ? invite(b, false) : null;
        String money = b.charged() > 0
                ? rupees(b.released()) + " is back in the wallet; " + rupees(b.charged()) + " is kept as the late-cancellation fee."
                : rupees(b.released()) + " is back in the wallet.";
        for (UUID who : List.of(b.userId(), b.expertId())) {
            tell(who, b, "booking-cancelled", "Booking cancelled: " + when(b), "The booking " + describe(b) + " was cancelled by the "
                    + b.cancelledBy().toLowerCase(Locale.ROOT) + (b.reason() == null ? "" : " (" + b.reason() + ")") + ". " + money, cancel);
        }
    }

    /** The calendar entry of an accepted booking that is moving is withdrawn until the expert accepts the new time. */
    public void withdrawn(Booking b, Instant oldStart) {
        String cancel = invite(b, false);
        for (UUID who : List.of(b.userId(), b.expertId())) {
            notifications.notify(who, Notifications.Channel.EMAIL, "booking-moved", "Booking moved from " + format(oldStart),
                    "The booking " + describe(b) + " moved; it waits for the expert's acceptance again.",
                    "booking:" + b.id() + ":moved:" + oldStart.getEpochSecond(), cancel);
        }
    }

    public void noShow(Booking b) {
        boolean expertAbsent = b.status() == BookingStatus.NO_SHOW_EXPERT;
        String summary = expertAbsent
                ? "The expert did not join; the hold of " + rupees(b.released()) + " is back in the user's wallet."
                : "The user did not join; the booking's " + rupees(b.charged()) + " is the expert's.";
        for (UUID who : List.of(b.userId(), b.expertId())) {
            tell(who, b, "booking-no-show", "Missed booking: " + when(b), "Booking " + describe(b) + ": " + summary, null);
        }
    }

    /** A reminder {@code kind} ("24h" or "15m") before the start, to both sides. */
    public void remind(Booking b, String kind) {
        String ahead = "24h".equals(kind) ? "tomorrow" : "in 15 minutes";
        for (UUID who : List.of(b.userId(), b.expertId())) {
            UUID other = who.equals(b.userId()) ? b.expertId() : b.userId();
            notifications.notifyEverywhere(who, "booking-reminder", "Reminder: your booking starts " + ahead,
                    "Your booking with " + nameOf(other) + " starts " + ahead + ": " + describe(b)
                            + (b.status() == BookingStatus.PENDING ? " It still waits for the expert's acceptance." : ""),
                    "booking:" + b.id() + ":reminder:" + kind + ":" + b.startsAt().getEpochSecond(), null, Map.of("when", ahead));
        }
    }

    private void tell(UUID who, Booking b, String kind, String title, String body, String calendarText) {
        notifications.notifyEverywhere(who, kind, title, body, "booking:" + b.id() + ":" + kind + ":" + b.startsAt().getEpochSecond()
                + ":" + b.updatedAt().toEpochMilli(), calendarText, Map.of("when", when(b)));
    }

    private String invite(Booking b, boolean request) {
        BookingCalendar.Invite invite = new BookingCalendar.Invite(b.id() + "@parley", b.startsAt(),
                java.time.Duration.between(b.startsAt(), b.endsAt()), "Parley " + b.channel().name().toLowerCase(Locale.ROOT)
                + " consultation: " + nameOf(b.userId()) + " with " + nameOf(b.expertId()),
                describe(b), mailFrom, publicUrl + "/bookings/" + b.id(), b.nextCalendarSequence(), clock.instant());
        return request ? BookingCalendar.request(invite) : BookingCalendar.cancel(invite);
    }

    private String describe(Booking b) {
        return b.channel().name().toLowerCase(Locale.ROOT) + ", " + when(b) + ", " + b.minutes() + " minutes, " + rupees(b.holdAmount());
    }

    private String when(Booking b) {
        return format(b.startsAt());
    }

    private String format(Instant at) {
        return WHEN.format(at.atZone(calendar.zone()));
    }

    private static String rupees(long paise) {
        return String.format(Locale.ROOT, "Rs %d.%02d", paise / 100, paise % 100);
    }

    private String nameOf(UUID accountId) {
        List<?> rows = em.createNativeQuery("select name from account where id = ?1").setParameter(1, accountId).getResultList();
        return rows.isEmpty() ? "someone" : String.valueOf(rows.get(0));
    }
}
