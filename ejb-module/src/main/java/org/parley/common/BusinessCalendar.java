package org.parley.common;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/**
 * The platform's business calendar: days are calendar days in {@code parley.time-zone} (PARLEY_TIME_ZONE, default
 * Asia/Kolkata). Earnings periods, settlement days and job schedules all count days here.
 */
@ApplicationScoped
public class BusinessCalendar {

    @Inject
    private Clock clock;
    @Inject
    @ConfigProperty(name = "parley.time-zone", defaultValue = "Asia/Kolkata")
    private String timeZone;

    public ZoneId zone() {
        return ZoneId.of(timeZone);
    }

    public LocalDate today() {
        return LocalDate.now(clock.withZone(zone()));
    }

    /** Yesterday: the day the nightly settlement settles by default. */
    public LocalDate yesterday() {
        return today().minusDays(1);
    }

    /** The first instant of {@code day}. */
    public Instant startOf(LocalDate day) {
        return day.atStartOfDay(zone()).toInstant();
    }
}
