package org.parley.order;

import org.junit.jupiter.api.Test;
import org.parley.common.DomainException.FieldError;
import org.parley.order.FormSchema.Field;
import org.parley.order.FormSchema.Type;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FormSchemaTest {

    private static final FormSchema CHART = new FormSchema(List.of(
            new Field("fullName", "Full name", Type.TEXT, true, null),
            new Field("birthDate", "Date of birth", Type.DATE, true, null),
            new Field("birthTime", "Time of birth", Type.TIME, false, null),
            new Field("birthPlace", "Place of birth", Type.PLACE, true, null),
            new Field("focus", "Focus", Type.CHOICE, true, List.of("career", "love")),
            new Field("age", "Age", Type.NUMBER, false, null)));

    private static Map<String, Object> good() {
        return new HashMap<>(Map.of("fullName", " Asha ", "birthDate", "1990-04-23", "birthTime", "05:30", "birthPlace", "Pune",
                "focus", "love", "age", 36));
    }

    private static List<String> fields(List<FieldError> errors) {
        return errors.stream().map(FieldError::field).sorted().toList();
    }

    @Test
    void rightAnswersPassAndAreKeptTrimmed() {
        FormSchema.Checked c = CHART.check(good());
        assertEquals(List.of(), c.errors());
        assertEquals("Asha", c.answers().get("fullName"));
        assertEquals(36, c.answers().get("age"));
    }

    @Test
    void aMissingBlankOrNullRequiredAnswerIsRequiredAndANullOptionalOneIsDropped() {
        Map<String, Object> data = good();
        data.remove("birthDate");
        data.put("fullName", "   ");
        data.put("birthPlace", null);
        data.put("birthTime", null);
        FormSchema.Checked c = CHART.check(data);
        assertEquals(List.of("formData.birthDate", "formData.birthPlace", "formData.fullName"), fields(c.errors()));
        assertTrue(c.errors().stream().allMatch(e -> e.message().equals("is required")));
        Map<String, Object> optionalNull = good();
        optionalNull.put("birthTime", null);
        assertTrue(!CHART.check(optionalNull).answers().containsKey("birthTime"));
    }

    @Test
    void eachTypeRefusesWhatIsNotOfIt() {
        Map<String, Object> data = good();
        data.put("birthDate", "23/04/1990");
        data.put("birthTime", "25:00");
        data.put("age", "36");
        data.put("focus", "money");
        data.put("fullName", 42);
        data.put("birthPlace", "x".repeat(201));
        assertEquals(List.of("formData.age", "formData.birthDate", "formData.birthPlace", "formData.birthTime", "formData.focus",
                "formData.fullName"), fields(CHART.check(data).errors()));
        data = good();
        data.put("age", Double.NaN);
        assertEquals(List.of("formData.age"), fields(CHART.check(data).errors()));
    }

    @Test
    void anUnknownAnswerIsRefusedByName() {
        Map<String, Object> data = good();
        data.put("colour", "blue");
        assertEquals(List.of("formData.colour"), fields(CHART.check(data).errors()));
        assertEquals(List.of(), CHART.check(data).answers().keySet().stream().toList(), "nothing kept when anything is wrong");
    }

    @Test
    void aFormThatMakesNoSenseIsRefusedFieldByField() {
        FormSchema bad = new FormSchema(List.of(
                new Field("1st", "x", Type.TEXT, true, null),
                new Field("a", "", Type.CHOICE, true, List.of()),
                new Field("a", "A", Type.NUMBER, false, List.of("1")),
                new Field("b", "B", null, false, null)));
        assertEquals(List.of("formSchema.fields[0].name", "formSchema.fields[1].label", "formSchema.fields[1].options",
                "formSchema.fields[2].name", "formSchema.fields[2].options", "formSchema.fields[3].type"), fields(bad.problems()));
        assertEquals(List.of("formSchema.fields"), fields(new FormSchema(List.of()).problems()));
        assertEquals(List.of(), CHART.problems());
    }
}
