package org.parley.expert;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.csv.DuplicateHeaderMode;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The expert applicants' CSV file (RFC 4180 through Apache Commons CSV): a header row naming the columns, in any order
 * and any case, then one applicant per record. {@code email} and {@code name} are required columns; the others may be
 * left out. Blank lines are skipped; quoted fields may span lines. A row is known by the line it starts on, counting
 * the header as line 1, so an operator can find it in the file.
 */
public final class ApplicantCsv {

    /** Every column the file may have. specialties and languages hold several values separated by ';'. */
    public static final List<String> COLUMNS = List.of("email", "name", "phone", "title", "bio", "experienceYears",
            "specialties", "languages", "rateChat", "rateVoice", "rateVideo");
    public static final Set<String> REQUIRED = Set.of("email", "name");

    private static final CSVFormat FORMAT = CSVFormat.RFC4180.builder()
            .setHeader()
            .setSkipHeaderRecord(true)
            .setIgnoreHeaderCase(true)
            .setIgnoreEmptyLines(true)
            .setTrim(true)
            .setDuplicateHeaderMode(DuplicateHeaderMode.DISALLOW)
            .get();

    /** One data record: the line it starts on, its values by canonical column name, and whether it had the header's width. */
    public record Row(int line, Map<String, String> values, int fieldCount, int headerCount) {

        public String value(String column) {
            String v = values.get(column);
            return v == null || v.isEmpty() ? null : v;
        }
    }

    /** What is wrong with a file as a whole (so nothing of it can be imported). */
    public static final class InvalidFile extends RuntimeException {
        public InvalidFile(String message) {
            super(message);
        }
    }

    private ApplicantCsv() {
    }

    /** Checks the header and that the whole file parses; returns the number of data rows. */
    public static int inspect(String content) {
        int[] count = {0};
        forEach(content, 0, row -> count[0]++);
        return count[0];
    }

    /** Hands each data row after the first {@code skip} to {@code action}, in file order. */
    public static void forEach(String content, long skip, Consumer<Row> action) {
        Iterator<Row> rows = open(content, skip);
        while (rows.hasNext()) {
            action.accept(rows.next());
        }
    }

    /** The data rows after the first {@code skip}. The header is checked first ({@link InvalidFile} if wrong). */
    public static Iterator<Row> open(String content, long skip) {
        CSVParser parser;
        try {
            parser = CSVParser.builder().setReader(new StringReader(content)).setFormat(FORMAT).get();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (IllegalArgumentException e) {
            throw new InvalidFile("the header row is not valid: " + e.getMessage());
        }
        List<String> header = parser.getHeaderNames();
        if (header.isEmpty()) {
            throw new InvalidFile("the file is empty; the first line must name the columns, e.g. email,name");
        }
        Map<Integer, String> canonical = new LinkedHashMap<>();
        List<String> unknown = new ArrayList<>();
        for (int i = 0; i < header.size(); i++) {
            String name = canonicalColumn(header.get(i));
            if (name == null) {
                unknown.add(header.get(i));
            } else {
                canonical.put(i, name);
            }
        }
        if (!unknown.isEmpty()) {
            throw new InvalidFile("unknown column(s) " + unknown + "; the columns are " + COLUMNS);
        }
        List<String> missing = REQUIRED.stream().filter(c -> !canonical.containsValue(c)).sorted().toList();
        if (!missing.isEmpty()) {
            throw new InvalidFile("missing required column(s) " + missing);
        }
        LineIndex lines = new LineIndex(content);
        Iterator<CSVRecord> records = parser.iterator();
        Iterator<Row> rows = new Iterator<>() {
            @Override
            public boolean hasNext() {
                try {
                    return records.hasNext();
                } catch (UncheckedIOException | IllegalStateException e) {
                    throw new InvalidFile("the file cannot be read as CSV after line " + parser.getCurrentLineNumber()
                            + ": " + rootMessage(e));
                }
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                CSVRecord r = records.next();
                Map<String, String> values = new LinkedHashMap<>();
                canonical.forEach((i, name) -> values.put(name, i < r.size() ? r.get(i) : null));
                return new Row(lines.lineAt(r.getCharacterPosition()), values, r.size(), header.size());
            }
        };
        for (long i = 0; i < skip && rows.hasNext(); i++) {
            rows.next();
        }
        return rows;
    }

    private static String canonicalColumn(String header) {
        String h = header.trim().toLowerCase(Locale.ROOT);
        return COLUMNS.stream().filter(c -> c.toLowerCase(Locale.ROOT).equals(h)).findFirst().orElse(null);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }

    /** Maps a character position to its 1-based line (CRLF, LF and CR all end a line). */
    static final class LineIndex {
        private final String content;
        private final int[] starts;

        LineIndex(String content) {
            this.content = content;
            List<Integer> s = new ArrayList<>();
            s.add(0);
            for (int i = 0; i < content.length(); i++) {
                char c = content.charAt(i);
                if (c == '\n' || (c == '\r' && (i + 1 == content.length() || content.charAt(i + 1) != '\n'))) {
                    s.add(i + 1);
                }
            }
            starts = s.stream().mapToInt(Integer::intValue).toArray();
        }

        /** The line of the first character at or after {@code position} that is not a line break (skipped blank lines). */
        int lineAt(long position) {
            int p = (int) position;
            while (p < content.length() && (content.charAt(p) == '\n' || content.charAt(p) == '\r')) {
                p++;
            }
            int i = Arrays.binarySearch(starts, p);
            return (i >= 0 ? i : -i - 2) + 1;
        }
    }
}
