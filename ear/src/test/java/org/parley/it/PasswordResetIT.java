package org.parley.it;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;
import org.parley.it.support.Accounts;
import org.parley.it.support.Accounts.Person;
import org.parley.it.support.Api;
import org.parley.it.support.Db;
import org.parley.it.support.Eventually;
import org.parley.it.support.SystemTest;
import org.parley.it.support.TestEnvironment;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.parley.it.support.Problems.assertFieldError;
import static org.parley.it.support.Problems.assertProblem;

/** "Forgot password" by an emailed one-time link (GreenMail receives it); the test server's links live 15 s. */
class PasswordResetIT extends SystemTest {

    private static final Pattern CODE = Pattern.compile("or with this code:\\s+(\\S+)");

    /** The code of the reset email sent to {@code email}, once it has arrived (the dispatcher runs every 5 s). */
    private static String emailedCode(String email) {
        return Eventually.until(Duration.ofSeconds(20), () -> Arrays.stream(TestEnvironment.mail().getReceivedMessages())
                .filter(m -> to(m, email)).map(PasswordResetIT::code).flatMap(Optional::stream).findFirst(),
                Optional::isPresent, "the reset email to " + email).orElseThrow();
    }

    private static boolean to(MimeMessage m, String email) {
        try {
            return m.getAllRecipients()[0].toString().equals(email) && "Reset your Parley password".equals(m.getSubject());
        } catch (MessagingException e) {
            throw new AssertionError(e);
        }
    }

    private static Optional<String> code(MimeMessage m) {
        try {
            Matcher found = CODE.matcher(m.getContent().toString());
            return found.find() ? Optional.of(found.group(1)) : Optional.empty();
        } catch (IOException | MessagingException e) {
            throw new AssertionError(e);
        }
    }

    private Api.Resp ask(String email) {
        return api.post("/auth/password-reset", null, Map.of("email", email));
    }

    private Api.Resp confirm(String token, String password) {
        return api.post("/auth/password-reset/confirm", null, Map.of("token", token, "newPassword", password));
    }

    @Test
    void theEmailedLinkSetsANewPasswordOnceAndSignsOutEveryLogin() {
        Person p = Accounts.user(api);
        String refresh = api.post("/auth/login", null, Map.of("email", p.email(), "password", Accounts.PASSWORD)).json()
                .get("refreshToken").asText();
        assertEquals(202, ask(p.email().toUpperCase()).status(), "the email is matched whatever its case");
        String code = emailedCode(p.email());
        assertEquals(204, confirm(code, "my new secret 1").status());
        assertEquals(401, api.get("/auth/me", p.token()).status());
        assertEquals(401, api.post("/auth/refresh", null, Map.of("refreshToken", refresh)).status());
        assertEquals(401, api.post("/auth/login", null, Map.of("email", p.email(), "password", Accounts.PASSWORD)).status());
        assertEquals(200, api.post("/auth/login", null, Map.of("email", p.email(), "password", "my new secret 1")).status());
        assertProblem(confirm(code, "another secret 2"), 422, "reset-token-invalid");
    }

    @Test
    void anUnknownEmailGetsTheSameAnswerAndNoLink() {
        Person p = Accounts.user(api);
        Api.Resp known = ask(p.email());
        Api.Resp unknown = ask(Accounts.uniqueEmail("nobody"));
        assertEquals(known.status(), unknown.status());
        assertEquals(known.body(), unknown.body());
        assertEquals(202, unknown.status());
        assertEquals(1, Db.count("select count(*) from password_reset r join account a on a.id = r.account_id"
                + " where a.email = ?", p.email()));
    }

    @Test
    void anExpiredLinkIsRefused() {
        Person p = Accounts.user(api);
        ask(p.email());
        String code = emailedCode(p.email());
        Eventually.until(Duration.ofSeconds(30), () -> Db.count("select count(*) from password_reset r join account a on"
                + " a.id = r.account_id where a.email = ? and r.expires_at < now()", p.email()), n -> n == 1, "the link's expiry");
        assertProblem(confirm(code, "my new secret 1"), 422, "reset-token-invalid");
        assertEquals(200, api.post("/auth/login", null, Map.of("email", p.email(), "password", Accounts.PASSWORD)).status());
    }

    @Test
    void badInputIsRefusedAndChangesNothing() {
        assertFieldError(assertProblem(confirm("some-token", "short"), 400, "validation"), "newPassword");
        assertFieldError(assertProblem(api.post("/auth/password-reset", null, Map.of()), 400, "validation"), "email");
        assertProblem(confirm("no-such-token", "long enough 1"), 422, "reset-token-invalid");
        assertTrue(ask("not an email at all").status() == 202, "no enumeration through format checks either");
    }
}
