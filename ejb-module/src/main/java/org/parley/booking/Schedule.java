package org.parley.booking;

import org.parley.common.DomainException.FieldError;
import org.parley.common.Problems;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * An expert's weekly schedule: wall-clock windows per day of the week in the expert's own time zone, and date
 * overrides that replace a day's weekly windows (with their own windows, or with none when unavailable). Times are
 * minutes of the day, 0..1440 ("24:00" ends a window at midnight); a window never crosses midnight (two windows do).
 */
public record Schedule(ZoneId zone, List<Weekly> weekly, List<DateOverride> overrides) {

    public static final Schedule NONE = new Schedule(ZoneId.of("UTC"), List.of(), List.of());

    /** A weekly window as it is written and read back: {@code day} MON..SUN, {@code from}/{@code to} "HH:MM". */
    public record Weekly(String day, String from, String to) {
    }

    /** A date override as written: a window that day ({@code from}/{@code to}), or {@code unavailable} all day. */
    public record DateOverride(String date, String from, String to, Boolean unavailable) {
    }

    /** One local window of a day, in minutes of the day. */
    record Window(int from, int to) {
    }

    /**
     * Parses and checks a schedule as an expert sends it: malformed values (unknown zone, day, time or date) are 400,
     * windows that make no sense (end not after start, overlapping on one day, an override both unavailable and timed)
     * 422; each with the field at fault.
     */
    public static Schedule parse(String timezone, List<Weekly> weekly, List<DateOverride> overrides) {
        List<FieldError> malformed = new ArrayList<>();
        List<FieldError> invalid = new ArrayList<>();
        ZoneId zone = null;
        if (timezone == null || timezone.isBlank()) {
            malformed.add(new FieldError("timezone", "required"));
        } else {
            try {
                zone = ZoneId.of(timezone.trim());
            } catch (DateTimeException e) {
                malformed.add(new FieldError("timezone", "unknown time zone '" + timezone + "'"));
            }
        }
        List<Weekly> week = weekly == null ? List.of() : weekly;
        List<DateOverride> days = overrides == null ? List.of() : overrides;
        for (int i = 0; i < week.size(); i++) {
            Weekly w = week.get(i);
            String at = "weekly[" + i + "]";
            if (w == null) {
                malformed.add(new FieldError(at, "must be an object"));
                continue;
            }
            if (day(w.day()) == null) {
                malformed.add(new FieldError(at + ".day", "one of MON, TUE, WED, THU, FRI, SAT, SUN"));
            }
            window(w.from(), w.to(), at, malformed, invalid);
        }
        for (int i = 0; i < days.size(); i++) {
            DateOverride o = days.get(i);
            String at = "overrides[" + i + "]";
            if (o == null) {
                malformed.add(new FieldError(at, "must be an object"));
                continue;
            }
            if (date(o.date()) == null) {
                malformed.add(new FieldError(at + ".date", "a date YYYY-MM-DD"));
            }
            boolean off = Boolean.TRUE.equals(o.unavailable());
            boolean timed = o.from() != null || o.to() != null;
            if (off && timed) {
                invalid.add(new FieldError(at, "either unavailable or a window from-to, not both"));
            } else if (!off && !timed) {
                invalid.add(new FieldError(at, "give a window from-to, or unavailable: true"));
            } else if (timed) {
                window(o.from(), o.to(), at, malformed, invalid);
            }
        }
        if (!malformed.isEmpty()) {
            throw Problems.badRequest("the schedule is malformed", malformed);
        }
        Schedule s = new Schedule(zone, List.copyOf(week), List.copyOf(days));
        for (DayOfWeek d : DayOfWeek.values()) {
            overlapping(s.weeklyOn(d), "weekly", d + ": windows overlap", invalid);
        }
        days.stream().map(o -> date(o.date())).distinct().forEach(d -> {
            if (s.overridesOn(d).stream().anyMatch(o -> Boolean.TRUE.equals(o.unavailable())) && s.overridesOn(d).size() > 1) {
                invalid.add(new FieldError("overrides", d + " is both unavailable and has windows"));
            }
            overlapping(s.overrideWindows(d), "overrides", d + ": windows overlap", invalid);
        });
        if (!invalid.isEmpty()) {
            throw Problems.rule("invalid-schedule", "the schedule was refused; nothing was changed", invalid);
        }
        return s;
    }

    /** The local windows of {@code date}: its overrides if it has any, else its day's weekly windows. */
    List<Window> windowsOn(LocalDate date) {
        List<DateOverride> own = overridesOn(date);
        if (own.isEmpty()) {
            return weeklyOn(date.getDayOfWeek());
        }
        return overrideWindows(date);
    }

    private List<Window> weeklyOn(DayOfWeek day) {
        return weekly.stream().filter(w -> day(w.day()) == day).map(w -> new Window(minutes(w.from()), minutes(w.to())))
                .sorted(Comparator.comparingInt(Window::from)).toList();
    }

    private List<DateOverride> overridesOn(LocalDate date) {
        return overrides.stream().filter(o -> date.equals(date(o.date()))).toList();
    }

    private List<Window> overrideWindows(LocalDate date) {
        return overridesOn(date).stream().filter(o -> !Boolean.TRUE.equals(o.unavailable()))
                .map(o -> new Window(minutes(o.from()), minutes(o.to()))).sorted(Comparator.comparingInt(Window::from)).toList();
    }

    private static void overlapping(List<Window> windows, String field, String message, List<FieldError> invalid) {
        for (int i = 1; i < windows.size(); i++) {
            if (windows.get(i).from() < windows.get(i - 1).to()) {
                invalid.add(new FieldError(field, message));
                return;
            }
        }
    }

    private static void window(String from, String to, String at, List<FieldError> malformed, List<FieldError> invalid) {
        int f = minutes(from);
        int t = minutes(to);
        if (f < 0 || f == 1440) {
            malformed.add(new FieldError(at + ".from", "a time HH:MM"));
        }
        if (t < 0) {
            malformed.add(new FieldError(at + ".to", "a time HH:MM (24:00 for midnight)"));
        }
        if (f >= 0 && t >= 0 && t <= f) {
            invalid.add(new FieldError(at + ".to", "must be after from (a window does not cross midnight; use two)"));
        }
    }

    /** Minutes of the day of "HH:MM" (1440 for "24:00"), or -1 if it is not such a time. */
    static int minutes(String hhmm) {
        if (hhmm == null) {
            return -1;
        }
        if ("24:00".equals(hhmm.trim())) {
            return 1440;
        }
        try {
            LocalTime t = LocalTime.parse(hhmm.trim());
            return t.getSecond() == 0 && t.getNano() == 0 ? t.getHour() * 60 + t.getMinute() : -1;
        } catch (DateTimeParseException e) {
            return -1;
        }
    }

    static DayOfWeek day(String name) {
        if (name == null) {
            return null;
        }
        for (DayOfWeek d : DayOfWeek.values()) {
            if (d.name().substring(0, 3).equals(name.trim().toUpperCase(Locale.ROOT))) {
                return d;
            }
        }
        return null;
    }

    static LocalDate date(String text) {
        try {
            return text == null ? null : LocalDate.parse(text.trim());
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
