package org.parley.training;

import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * A training certificate as a one-page PDF (Apache PDFBox): the expert's name, the modules, the date and the
 * verification code. It uses the standard Helvetica, which has no glyphs beyond Latin-1: other characters are
 * written as '?' (embedding a Unicode font is the way to print every name; none is bundled yet).
 */
final class CertificatePdf {

    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private CertificatePdf() {
    }

    static byte[] render(String expertName, List<String> modules, Instant issuedAt, String code) {
        try (PDDocument doc = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            PDPage page = new PDPage(PDRectangle.A4);
            doc.addPage(page);
            PDType1Font bold = new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD);
            PDType1Font regular = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
            try (PDPageContentStream text = new PDPageContentStream(doc, page)) {
                float y = 760;
                y = line(text, bold, 26, 72, y, "Parley training certificate");
                y = line(text, regular, 14, 72, y - 30, "This certifies that");
                y = line(text, bold, 20, 72, y - 10, latin1(expertName));
                y = line(text, regular, 14, 72, y - 20, "has completed the required training:");
                for (String m : modules) {
                    y = line(text, regular, 12, 90, y - 4, "- " + latin1(m));
                }
                y = line(text, regular, 12, 72, y - 30, "Issued " + DATE.format(issuedAt));
                line(text, bold, 12, 72, y - 6, "Verification code: " + code);
            }
            doc.getDocumentInformation().setTitle("Parley training certificate " + code);
            doc.getDocumentInformation().setSubject(latin1(expertName));
            doc.save(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static float line(PDPageContentStream s, PDType1Font font, float size, float x, float y, String text) throws IOException {
        float at = y - size;
        s.beginText();
        s.setFont(font, size);
        s.newLineAtOffset(x, at);
        s.showText(text);
        s.endText();
        return at;
    }

    /** What WinAnsi (the standard fonts' encoding) can show; anything else as '?'. */
    static String latin1(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        s.codePoints().forEach(c -> sb.append(c >= 32 && c < 256 && c != 127 ? (char) c : '?'));
        return sb.toString();
    }
}
