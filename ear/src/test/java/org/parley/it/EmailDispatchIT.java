package org.parley.it;

import com.icegreen.greenmail.util.GreenMail;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;
import org.parley.it.support.Accounts;
import org.parley.it.support.Accounts.Person;
import org.parley.it.support.Db;
import org.parley.it.support.Eventually;
import org.parley.it.support.SystemTest;
import org.parley.it.support.TestEnvironment;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The email dispatcher against a real SMTP peer (GreenMail) that is down for a while: retried with backoff, sent once. */
class EmailDispatchIT extends SystemTest {

    private static List<MimeMessage> withSubject(String subject) {
        return Arrays.stream(TestEnvironment.mail().getReceivedMessages()).filter(m -> {
            try {
                return subject.equals(m.getSubject());
            } catch (jakarta.mail.MessagingException e) {
                throw new AssertionError(e);
            }
        }).toList();
    }

    @Test
    void parleySignsInToTheSmtpServerWithTheConfiguredCredentialsAndAWrongPasswordIsRetriedNotLost() throws Exception {
        Person user = Accounts.user(api);
        com.icegreen.greenmail.user.GreenMailUser smtpAccount = TestEnvironment.mail().getUserManager().getUser("parley-smtp");
        String password = smtpAccount.getPassword();
        String subject = "Auth " + UUID.randomUUID();
        String id = UUID.randomUUID().toString();
        smtpAccount.setPassword("changed-" + UUID.randomUUID());
        try {
            Db.exec("insert into notification (id, account_id, channel, kind, title, body, dedupe_key, status, next_attempt_at, created_at)"
                    + " values (?::uuid, ?::uuid, 'EMAIL', 'test', ?, 'body', ?, 'PENDING', now(), now())", id, user.id(), subject, subject);
            String error = Eventually.until(Duration.ofSeconds(20), () -> Db.string("select last_error from notification where id = ?::uuid", id),
                    e -> e != null, "the refused attempt");
            assertTrue(error.contains("535") || error.toLowerCase().contains("auth"), "refused for its credentials: " + error);
            assertTrue(withSubject(subject).isEmpty());
        } finally {
            smtpAccount.setPassword(password);
        }
        Db.exec("update notification set next_attempt_at = now() where id = ?::uuid", id); // skip the backoff
        Eventually.until(Duration.ofSeconds(20), () -> withSubject(subject).size(), n -> n == 1, "the email after the password is right again");
        assertEquals("SENT", Db.string("select status from notification where id = ?::uuid", id));
    }

    @Test
    void anEmailThatCannotBeSentIsRetriedWithBackoffAndDeliveredOnceTheServerIsBack() throws Exception {
        Person user = Accounts.user(api);
        String subject = "Retry me " + UUID.randomUUID();
        String id = UUID.randomUUID().toString();
        GreenMail smtp = TestEnvironment.mail();
        smtp.stop();
        try {
            Db.exec("insert into notification (id, account_id, channel, kind, title, body, dedupe_key, status, next_attempt_at, created_at)"
                    + " values (?::uuid, ?::uuid, 'EMAIL', 'test', ?, 'body', ?, 'PENDING', now(), now())", id, user.id(), subject, subject);
            // an attempt is counted when it is claimed and its error recorded once the send has failed: wait for both
            Eventually.until(Duration.ofSeconds(20), () -> Db.count("select count(*) from notification where id = ?::uuid"
                    + " and attempts >= 1 and last_error is not null", id), n -> n == 1, "a first attempt, failed and recorded");
            assertEquals("PENDING", Db.string("select status from notification where id = ?::uuid", id));
            long backoff = Db.count("select extract(epoch from next_attempt_at - now())::bigint from notification where id = ?::uuid", id);
            assertTrue(backoff > 15 && backoff <= 30, "the next attempt waits about 30 s: " + backoff);
        } finally {
            smtp.start();
        }
        Db.exec("update notification set next_attempt_at = now() where id = ?::uuid", id); // skip the wait
        Eventually.until(Duration.ofSeconds(20), () -> Db.string("select status from notification where id = ?::uuid", id), "SENT"::equals,
                "delivery once the server is back");
        Thread.sleep(6_000);
        assertEquals(1, withSubject(subject).size(), "sent exactly once");
        MimeMessage m = withSubject(subject).get(0);
        assertEquals(user.email(), m.getAllRecipients()[0].toString());
        assertEquals("<" + id + "@parley>", m.getMessageID());
    }
}
