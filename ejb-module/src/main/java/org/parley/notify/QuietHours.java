package org.parley.notify;

import org.eclipse.microprofile.config.ConfigProvider;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * A daily window in a zone outside which a kind of message waits. Marketing SMS in India may go between 10:00 and 21:00
 * India time (TRAI's rule for promotional messages); {@code parley.sms.marketing-window} ({@code 10:00-21:00}) changes
 * it, read on every use so an operator (or a test) can change it on a running server.
 */
public record QuietHours(LocalTime opens, LocalTime closes, ZoneId zone) {

    public static final ZoneId INDIA = ZoneId.of("Asia/Kolkata");

    /** The marketing-SMS window as configured now. */
    public static QuietHours marketingSms() {
        String window = ConfigProvider.getConfig().getOptionalValue("parley.sms.marketing-window", String.class).orElse("10:00-21:00");
        String[] parts = window.split("-");
        return new QuietHours(LocalTime.parse(parts[0].strip()), LocalTime.parse(parts[1].strip()), INDIA);
    }

    public boolean allows(Instant at) {
        LocalTime t = at.atZone(zone).toLocalTime();
        return opens.isBefore(closes) ? !t.isBefore(opens) && t.isBefore(closes) : !t.isBefore(opens) || t.isBefore(closes);
    }

    /** {@code now} if the window is open, else the next time it opens. */
    public Instant nextAllowed(Instant now) {
        if (allows(now)) {
            return now;
        }
        ZonedDateTime local = now.atZone(zone);
        ZonedDateTime today = local.toLocalDate().atTime(opens).atZone(zone);
        return (today.isAfter(local) ? today : local.toLocalDate().plusDays(1).atTime(opens).atZone(zone)).toInstant();
    }
}
