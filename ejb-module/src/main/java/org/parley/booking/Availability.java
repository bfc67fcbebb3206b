package org.parley.booking;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Where an expert can be booked, computed without a database or a clock: the windows of a schedule and one-off slots
 * as instants, and the bookable starts on each window's grid. Wall-clock times are resolved in the schedule's zone
 * day by day, so a weekly 18:00 stays 18:00 local across a DST change; a time that does not exist that day (the
 * spring-forward gap) moves forward by the gap, and one that exists twice (the autumn overlap) is its earlier instant.
 */
public final class Availability {

    private Availability() {
    }

    /** A half-open span of time [start, end). */
    public record Span(Instant start, Instant end) {
        boolean overlaps(Instant otherStart, Instant otherEnd) {
            return start.isBefore(otherEnd) && otherStart.isBefore(end);
        }

        boolean contains(Instant from, Instant to) {
            return !from.isBefore(start) && !to.isAfter(end);
        }
    }

    /**
     * The rules a start must meet besides the windows: the booking's length, the grid step (counted from each window's
     * start), the earliest start (now + minimum notice), the latest (the horizon) and the buffer kept around bookings.
     */
    public record Rules(Duration length, Duration step, Instant earliest, Instant latest, Duration buffer) {
    }

    /**
     * Every window touching [from, to): the schedule's (weekly, or a date's overrides) and the one-off slots, sorted, with
     * overlapping or touching windows merged into one (whose grid starts at the merged start).
     */
    static List<Span> windows(Schedule schedule, List<Span> oneOff, Instant from, Instant to) {
        List<Span> all = new ArrayList<>(scheduled(schedule, from, to));
        oneOff.stream().filter(s -> s.overlaps(from, to)).forEach(all::add);
        all.sort(Comparator.comparing(Span::start));
        List<Span> merged = new ArrayList<>();
        for (Span s : all) {
            Span last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (last != null && !s.start().isAfter(last.end())) {
                if (s.end().isAfter(last.end())) {
                    merged.set(merged.size() - 1, new Span(last.start(), s.end()));
                }
            } else {
                merged.add(s);
            }
        }
        return merged;
    }

    /** The schedule's windows as instants, for every local date whose windows may touch [from, to). */
    static List<Span> scheduled(Schedule schedule, Instant from, Instant to) {
        ZoneId zone = schedule.zone();
        List<Span> out = new ArrayList<>();
        LocalDate last = to.atZone(zone).toLocalDate().plusDays(1);
        for (LocalDate d = from.atZone(zone).toLocalDate().minusDays(1); !d.isAfter(last); d = d.plusDays(1)) {
            for (Schedule.Window w : schedule.windowsOn(d)) {
                Span s = new Span(at(d, w.from(), zone), at(d, w.to(), zone));
                if (s.end().isAfter(s.start()) && s.overlaps(from, to)) {
                    out.add(s);
                }
            }
        }
        return out;
    }

    /** The instant of {@code minutes} past local midnight of {@code date} (1440: the next midnight). */
    static Instant at(LocalDate date, int minutes, ZoneId zone) {
        if (minutes == 1440) {
            return date.plusDays(1).atStartOfDay(zone).toInstant();
        }
        return ZonedDateTime.of(date, LocalTime.of(minutes / 60, minutes % 60), zone).toInstant();
    }

    /** The bookable starts in [from, to) (as spans of the booking's length), on each window's grid. */
    static List<Span> starts(List<Span> windows, List<Span> busy, Rules rules, Instant from, Instant to) {
        List<Span> out = new ArrayList<>();
        long step = rules.step().toSeconds();
        for (Span w : windows) {
            Instant t = w.start();
            Instant lowest = from.isAfter(rules.earliest()) ? from : rules.earliest();
            if (t.isBefore(lowest)) {
                long steps = (Duration.between(t, lowest).toSeconds() + step - 1) / step;
                t = t.plusSeconds(steps * step);
            }
            for (; !t.plus(rules.length()).isAfter(w.end()) && t.isBefore(to) && !t.isAfter(rules.latest()); t = t.plusSeconds(step)) {
                Instant end = t.plus(rules.length());
                if (!conflicts(busy, t, end, rules.buffer())) {
                    out.add(new Span(t, end));
                }
            }
        }
        return out;
    }

    /** True if [start, end) comes within {@code buffer} of any of {@code busy}. */
    static boolean conflicts(List<Span> busy, Instant start, Instant end, Duration buffer) {
        for (Span b : busy) {
            if (b.start().minus(buffer).isBefore(end) && start.isBefore(b.end().plus(buffer))) {
                return true;
            }
        }
        return false;
    }

    /** Why {@code start} is not a bookable start, bookings aside; null if it is. */
    static String refusal(List<Span> windows, Instant start, Rules rules) {
        if (start.isBefore(rules.earliest())) {
            return "starts before the earliest bookable time " + rules.earliest() + " (now plus the minimum notice)";
        }
        if (start.isAfter(rules.latest())) {
            return "starts after the booking horizon " + rules.latest();
        }
        Instant end = start.plus(rules.length());
        for (Span w : windows) {
            if (w.contains(start, end)) {
                if (Duration.between(w.start(), start).toSeconds() % rules.step().toSeconds() != 0) {
                    return "is not on the 15-minute grid of the window starting at " + w.start();
                }
                return null;
            }
        }
        return "is not inside the expert's availability";
    }
}
