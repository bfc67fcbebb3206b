package org.parley.expert;

import org.junit.jupiter.api.Test;
import org.parley.common.Channel;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ApplicantCsvTest {

    private static List<ApplicantCsv.Row> rows(String csv, long skip) {
        List<ApplicantCsv.Row> out = new ArrayList<>();
        ApplicantCsv.forEach(csv, skip, out::add);
        return out;
    }

    @Test
    void rowsAreNumberedByTheLineTheyStartOnAcrossBlankLinesQuotedNewlinesAndCrlf() {
        String csv = "Email,NAME,bio\r\n"
                + "a@x.test,Asha,plain\r\n"
                + "\r\n"
                + "b@x.test,Bala,\"two\r\nlines\"\r\n"
                + "c@x.test,Chitra,last";
        List<ApplicantCsv.Row> rows = rows(csv, 0);
        assertEquals(List.of(2, 4, 6), rows.stream().map(ApplicantCsv.Row::line).toList());
        assertEquals("two\r\nlines", rows.get(1).value("bio"));
        assertEquals("Chitra", rows.get(2).value("name"), "header names match whatever their case");
    }

    @Test
    void skippingResumesAtTheRowAfterTheCheckpoint() {
        String csv = "email,name\na@x.test,A\nb@x.test,B\nc@x.test,C\n";
        assertEquals(List.of("c@x.test"), rows(csv, 2).stream().map(r -> r.value("email")).toList());
        assertEquals(3, ApplicantCsv.inspect(csv));
        Iterator<ApplicantCsv.Row> rest = ApplicantCsv.open(csv, 3);
        assertFalse(rest.hasNext());
    }

    @Test
    void aFileWithUnknownOrMissingColumnsOrBrokenQuotingIsRefusedWhole() {
        assertTrue(assertThrows(ApplicantCsv.InvalidFile.class, () -> ApplicantCsv.inspect("email,name,salary\na@x.test,A,1\n"))
                .getMessage().contains("salary"));
        assertTrue(assertThrows(ApplicantCsv.InvalidFile.class, () -> ApplicantCsv.inspect("email,title\na@x.test,T\n"))
                .getMessage().contains("name"));
        assertThrows(ApplicantCsv.InvalidFile.class, () -> ApplicantCsv.inspect("email,name,email\na,b,c\n"));
        assertThrows(ApplicantCsv.InvalidFile.class, () -> ApplicantCsv.inspect(""));
        assertThrows(ApplicantCsv.InvalidFile.class, () -> ApplicantCsv.inspect("email,name\na@x.test,\"unclosed\n"));
    }

    @Test
    void aGoodRowBecomesAnApplicantWithNormalisedListsAndRates() {
        ApplicantCsv.Row row = rows("email,name,phone,experienceYears,specialties,languages,rateChat,rateVideo\n"
                + "Asha@X.test,Asha Rao,+91 98765 43210,12, Vedic ;Tarot;;tarot,Hindi;english,2500,9000\n", 0).get(0);
        Applicant a = assertInstanceOf(Applicant.Valid.class, Applicant.check(row)).applicant();
        assertEquals("asha@x.test", a.email());
        assertEquals(12, a.experienceYears());
        assertEquals(Set.of("vedic", "tarot"), a.specialties());
        assertEquals(Set.of("hindi", "english"), a.languages());
        assertEquals(Map.of(Channel.CHAT, 2500L, Channel.VIDEO, 9000L), a.rates());
    }

    @Test
    void aBadRowIsRefusedWithEveryReasonAndKeepsItsLineAndEmail() {
        ApplicantCsv.Row row = rows("email,name,phone,experienceYears,rateChat\n"
                + "someone@x.test,,12,eighty,0\n", 0).get(0);
        Applicant.Invalid bad = assertInstanceOf(Applicant.Invalid.class, Applicant.check(row));
        assertEquals(2, bad.line());
        assertEquals("someone@x.test", bad.email());
        for (String part : List.of("name: is required", "phone: must be a phone number", "experienceYears:", "rateChat:")) {
            assertTrue(bad.reason().contains(part), bad.reason() + " should mention " + part);
        }
        Applicant.Invalid ragged = assertInstanceOf(Applicant.Invalid.class, Applicant.check(rows("email,name\nx@y.test,X,extra\n", 0).get(0)));
        assertTrue(ragged.reason().contains("3 field(s) where the header has 2"), ragged.reason());
        Applicant.Invalid noEmail = assertInstanceOf(Applicant.Invalid.class, Applicant.check(rows("email,name\nnot-an-email,X\n", 0).get(0)));
        assertTrue(noEmail.reason().contains("email: must be a well-formed email address"), noEmail.reason());
    }
}
