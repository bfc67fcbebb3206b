package org.parley.order;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.parley.common.DomainException.FieldError;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The form a catalog service needs filled in, and the checks of both the form (when an admin defines it) and an
 * order's answers (when a user places one). Pure, so every rule is tested without a server.
 *
 * <p>Answers by type: TEXT a string (at most 2,000 characters), NUMBER a JSON number, DATE an ISO date
 * ({@code 1990-04-23}), TIME an ISO time ({@code 05:30} or {@code 05:30:15}), PLACE a string naming a place (at most
 * 200 characters), CHOICE one of the field's options. A required field must be present, not null and not blank; a
 * null optional answer counts as absent and is dropped; a name the form does not have is refused.
 */
public record FormSchema(List<Field> fields) {

    public enum Type { TEXT, NUMBER, DATE, TIME, PLACE, CHOICE }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Field(String name, String label, Type type, boolean required, List<String> options) {
    }

    private static final Pattern NAME = Pattern.compile("[a-zA-Z][a-zA-Z0-9_]{0,39}");
    static final int MAX_FIELDS = 40;
    static final int MAX_TEXT = 2000;
    static final int MAX_PLACE = 200;

    /** What is wrong with this form as an admin defined it, fields named {@code formSchema.fields[i].x}. */
    public List<FieldError> problems() {
        List<FieldError> errors = new ArrayList<>();
        if (fields == null || fields.isEmpty() || fields.size() > MAX_FIELDS) {
            errors.add(new FieldError("formSchema.fields", "1 to " + MAX_FIELDS + " fields"));
            return errors;
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < fields.size(); i++) {
            Field f = fields.get(i);
            String at = "formSchema.fields[" + i + "]";
            if (f == null) {
                errors.add(new FieldError(at, "is required"));
                continue;
            }
            if (f.name() == null || !NAME.matcher(f.name()).matches()) {
                errors.add(new FieldError(at + ".name", "a letter, then up to 39 letters, digits or '_'"));
            } else if (!names.add(f.name())) {
                errors.add(new FieldError(at + ".name", "appears twice"));
            }
            if (f.label() == null || f.label().isBlank() || f.label().length() > 120) {
                errors.add(new FieldError(at + ".label", "1 to 120 characters"));
            }
            if (f.type() == null) {
                errors.add(new FieldError(at + ".type", "one of TEXT, NUMBER, DATE, TIME, PLACE, CHOICE"));
            } else if (f.type() == Type.CHOICE) {
                if (f.options() == null || f.options().isEmpty() || f.options().size() > 50
                        || f.options().stream().anyMatch(o -> o == null || o.isBlank() || o.length() > 100)
                        || new HashSet<>(f.options()).size() != f.options().size()) {
                    errors.add(new FieldError(at + ".options", "1 to 50 distinct, non-blank options of at most 100 characters"));
                }
            } else if (f.options() != null) {
                errors.add(new FieldError(at + ".options", "only a CHOICE field has options"));
            }
        }
        return errors;
    }

    /**
     * Checks {@code data} against this form: the field errors (named {@code formData.<name>}) and, when there are none,
     * the answers to keep in the form's order (optional answers left out are absent).
     */
    public Checked check(Map<String, Object> data) {
        Map<String, Object> answers = data == null ? Map.of() : data;
        List<FieldError> errors = new ArrayList<>();
        Set<String> known = new HashSet<>();
        Map<String, Object> kept = new LinkedHashMap<>();
        for (Field f : fields) {
            known.add(f.name());
            Object v = answers.get(f.name());
            if (v == null || (v instanceof String s && s.isBlank())) {
                if (f.required()) {
                    errors.add(new FieldError("formData." + f.name(), "is required"));
                }
                continue;
            }
            String problem = problemOf(f, v);
            if (problem != null) {
                errors.add(new FieldError("formData." + f.name(), problem));
            } else {
                kept.put(f.name(), v instanceof String s ? s.strip() : v);
            }
        }
        answers.keySet().stream().filter(k -> !known.contains(k)).sorted()
                .forEach(k -> errors.add(new FieldError("formData." + k, "is not a field of this service's form")));
        return new Checked(errors, errors.isEmpty() ? kept : Map.of());
    }

    /** The outcome of {@link #check}. */
    public record Checked(List<FieldError> errors, Map<String, Object> answers) {
    }

    private static String problemOf(Field f, Object v) {
        return switch (f.type()) {
            case NUMBER -> v instanceof Number n && isFinite(n) ? null : "must be a number";
            case TEXT -> v instanceof String s ? (s.length() > MAX_TEXT ? "at most " + MAX_TEXT + " characters" : null) : "must be text";
            case PLACE -> v instanceof String s ? (s.strip().length() > MAX_PLACE ? "at most " + MAX_PLACE + " characters" : null)
                    : "must name a place as text";
            case DATE -> v instanceof String s && parses(() -> LocalDate.parse(s.strip())) ? null : "must be a date like 1990-04-23";
            case TIME -> v instanceof String s && parses(() -> LocalTime.parse(s.strip())) ? null : "must be a time like 05:30";
            case CHOICE -> v instanceof String s && f.options().contains(s.strip()) ? null : "must be one of " + String.join(", ", f.options());
        };
    }

    private static boolean isFinite(Number n) {
        return !(n instanceof Double d && !Double.isFinite(d)) && !(n instanceof Float x && !Float.isFinite(x))
                && !(n instanceof BigDecimal b && b.abs().compareTo(BigDecimal.valueOf(1e15)) > 0);
    }

    private static boolean parses(Runnable parse) {
        try {
            parse.run();
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }
}
