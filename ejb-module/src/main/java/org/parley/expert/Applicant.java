package org.parley.expert;

import org.parley.common.Channel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * An expert applicant read from one CSV row, checked with the rules registration and the expert profile apply over
 * REST (same lengths, phone pattern, experience range, rate bounds), so an imported applicant is one that could have
 * signed up and filled in the profile.
 */
public record Applicant(int line, String email, String name, String phone, String title, String bio,
                        Integer experienceYears, Set<String> specialties, Set<String> languages, Map<Channel, Long> rates) {

    /** The highest per-minute rate an expert may set (as over REST): ₹1,000.00 a minute. */
    public static final long MAX_RATE = 100_000;
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");
    private static final Pattern PHONE = Pattern.compile(org.parley.identity.Account.PHONE_PATTERN);

    /** A row either becomes an applicant or is refused with every reason found (never only the first). */
    public sealed interface Checked permits Valid, Invalid {
        int line();

        String email();
    }

    public record Valid(Applicant applicant) implements Checked {
        public int line() {
            return applicant.line();
        }

        public String email() {
            return applicant.email();
        }
    }

    public record Invalid(int line, String email, String reason) implements Checked {
    }

    public static Checked check(ApplicantCsv.Row row) {
        List<String> errors = new ArrayList<>();
        if (row.fieldCount() != row.headerCount()) {
            errors.add("has " + row.fieldCount() + " field(s) where the header has " + row.headerCount());
        }
        String email = row.value("email") == null ? null : row.value("email").toLowerCase(Locale.ROOT);
        if (email == null) {
            errors.add("email: is required");
        } else if (email.length() > 254 || !EMAIL.matcher(email).matches()) {
            errors.add("email: must be a well-formed email address");
        }
        String name = row.value("name");
        if (name == null) {
            errors.add("name: is required");
        } else if (name.length() > 100) {
            errors.add("name: must be at most 100 characters");
        }
        String phone = row.value("phone");
        if (phone != null && !PHONE.matcher(phone).matches()) {
            errors.add("phone: must be a phone number");
        }
        String title = row.value("title");
        if (title != null && title.length() > 120) {
            errors.add("title: must be at most 120 characters");
        }
        String bio = row.value("bio");
        if (bio != null && bio.length() > 4000) {
            errors.add("bio: must be at most 4000 characters");
        }
        Integer years = null;
        String y = row.value("experienceYears");
        if (y != null) {
            if (!y.matches("[0-9]{1,2}") || Integer.parseInt(y) > 80) {
                errors.add("experienceYears: must be a whole number from 0 to 80");
            } else {
                years = Integer.parseInt(y);
            }
        }
        Set<String> specialties = list(row.value("specialties"), "specialties", 64, errors);
        Set<String> languages = list(row.value("languages"), "languages", 35, errors);
        Map<Channel, Long> rates = new EnumMap<>(Channel.class);
        rate(row.value("rateChat"), "rateChat", Channel.CHAT, rates, errors);
        rate(row.value("rateVoice"), "rateVoice", Channel.VOICE, rates, errors);
        rate(row.value("rateVideo"), "rateVideo", Channel.VIDEO, rates, errors);
        if (!errors.isEmpty()) {
            return new Invalid(row.line(), email == null ? null : truncate(email, 254), String.join("; ", errors));
        }
        return new Valid(new Applicant(row.line(), email, name, phone, title, bio, years, specialties, languages, rates));
    }

    /** ';'-separated values, trimmed and lower-cased as the profile stores them; at most 20 of at most {@code max} characters. */
    private static Set<String> list(String raw, String column, int max, List<String> errors) {
        Set<String> out = new TreeSet<>();
        if (raw == null) {
            return out;
        }
        Arrays.stream(raw.split(";")).map(v -> v.trim().toLowerCase(Locale.ROOT)).filter(v -> !v.isEmpty()).forEach(out::add);
        if (out.size() > 20) {
            errors.add(column + ": at most 20 values");
        }
        if (out.stream().anyMatch(v -> v.length() > max)) {
            errors.add(column + ": each value at most " + max + " characters");
        }
        return out;
    }

    private static void rate(String raw, String column, Channel channel, Map<Channel, Long> rates, List<String> errors) {
        if (raw == null) {
            return;
        }
        if (!raw.matches("[0-9]{1,9}") || Long.parseLong(raw) < 1 || Long.parseLong(raw) > MAX_RATE) {
            errors.add(column + ": must be whole paise per minute from 1 to " + MAX_RATE);
        } else {
            rates.put(channel, Long.parseLong(raw));
        }
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }
}
