package org.parley.notify;

import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Sends the outbox's email through WildFly's mail session {@code java:jboss/mail/Parley} (SMTP from
 * {@code PARLEY_SMTP_HOST}/{@code PARLEY_SMTP_PORT}, sender {@code PARLEY_MAIL_FROM}) every 5 seconds on every node;
 * claims make nodes share the rows. Sending happens outside any transaction; a row is marked sent right after its
 * message is accepted. A crash between the two re-sends that one message after the lease (at least once; the
 * Message-ID is the notification's id, so a mail client can drop the copy). With {@code PARLEY_SMTP_USER} and
 * {@code PARLEY_SMTP_PASSWORD} set, each connection authenticates (SMTP AUTH, when the server offers it); they are
 * read here rather than put in the mail session because WildFly refuses an empty username there. With no
 * {@code PARLEY_SMTP_HOST} configured it runs in a clearly logged mock mode: each message is logged and marked sent.
 */
@Singleton
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class EmailDispatcher {

    private static final Logger LOG = Logger.getLogger(EmailDispatcher.class.getName());
    private static final Pattern METHOD = Pattern.compile("(?m)^METHOD:([A-Z-]+)\\r?$");

    @Resource(lookup = "java:jboss/mail/Parley")
    private Session mail;
    @Inject
    @ConfigProperty(name = "parley.smtp.user")
    private Optional<String> smtpUser;
    @Inject
    @ConfigProperty(name = "parley.smtp.password")
    private Optional<String> smtpPassword;
    /** Unset: mock mode, each email is logged and marked sent instead of being sent. */
    @Inject
    @ConfigProperty(name = "parley.smtp.host")
    private Optional<String> smtpHost;
    @Inject
    private NotificationOutbox outbox;

    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean mockAnnounced = new AtomicBoolean();

    @Schedule(second = "*/5", minute = "*", hour = "*", persistent = false, info = "email-dispatch")
    void dispatch() {
        if (!running.compareAndSet(false, true)) {
            return;
        }
        try {
            List<NotificationOutbox.Pending> due;
            do {
                due = outbox.claim(Notifications.Channel.EMAIL, 50);
                due.forEach(this::send);
            } while (due.size() == 50);
        } finally {
            running.set(false);
        }
    }

    /**
     * The text and an iCalendar part as alternatives (how calendar clients expect an invitation), the part's
     * {@code method} parameter taken from the calendar's own METHOD line.
     */
    static MimeMultipart withCalendar(String text, String calendar) throws MessagingException {
        Matcher method = METHOD.matcher(calendar);
        MimeBodyPart plain = new MimeBodyPart();
        plain.setText(text, "UTF-8");
        MimeBodyPart invite = new MimeBodyPart();
        invite.setContent(calendar, "text/calendar; charset=UTF-8; method=" + (method.find() ? method.group(1) : "PUBLISH"));
        invite.setFileName("invite.ics");
        MimeMultipart alternatives = new MimeMultipart("alternative");
        alternatives.addBodyPart(plain);
        alternatives.addBodyPart(invite);
        return alternatives;
    }

    private void send(NotificationOutbox.Pending email) {
        if (smtpHost.filter(h -> !h.isBlank()).isEmpty()) {
            if (mockAnnounced.compareAndSet(false, true)) {
                LOG.warning("PARLEY_SMTP_HOST is not set: email runs in mock mode, each message is logged here and marked sent, nothing"
                        + " leaves this machine");
            }
            LOG.info("MOCK email " + email.id() + " to " + email.to() + ": " + email.title() + (email.calendar() == null ? "" : " (with an invitation)"));
            outbox.sent(email.id(), null);
            return;
        }
        try {
            MimeMessage m = new MimeMessage(mail) {
                @Override
                protected void updateMessageID() throws MessagingException {
                    setHeader("Message-ID", "<" + email.id() + "@parley>");
                }
            };
            m.setFrom();
            m.setRecipient(Message.RecipientType.TO, new InternetAddress(email.to()));
            m.setSubject(email.title(), "UTF-8");
            if (email.calendar() == null) {
                m.setText(email.body(), "UTF-8");
            } else {
                m.setContent(withCalendar(email.body(), email.calendar()));
            }
            if (smtpUser.filter(u -> !u.isBlank()).isPresent()) {
                Transport.send(m, smtpUser.get(), smtpPassword.orElse(""));
            } else {
                Transport.send(m);
            }
            outbox.sent(email.id(), null);
        } catch (MessagingException | RuntimeException e) {
            LOG.log(Level.WARNING, "email " + email.id() + " attempt " + email.attempt() + " failed: " + e.getMessage());
            outbox.failed(email, e.getMessage());
        }
    }
}
