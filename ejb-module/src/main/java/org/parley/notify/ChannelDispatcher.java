package org.parley.notify;

import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Sends the outbox's SMS (MSG91) and WhatsApp (Cloud API) rows every second on every node; claims with a lease make
 * nodes share them, and a row is marked sent with the provider's message id right after the provider accepted it (a
 * crash in between sends that one message again after the lease: at least once). A failure is retried with backoff; a
 * message the provider refuses as such (a 4xx) fails at once. Unconfigured providers run as logged mocks.
 */
@Singleton
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class ChannelDispatcher {

    private static final Logger LOG = Logger.getLogger(ChannelDispatcher.class.getName());
    /** A sweep a second: while the database is down, one line every 10 s with the count. */
    private static final org.parley.common.RareLog SWEEP_FAILED = new org.parley.common.RareLog(LOG, 10);
    private static final int BATCH = 50;

    @Inject
    private NotificationOutbox outbox;
    @Inject
    private Msg91Client msg91;
    @Inject
    private WhatsAppClient whatsApp;

    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean announced = new AtomicBoolean();

    @Schedule(second = "*", minute = "*", hour = "*", persistent = false, info = "sms-whatsapp-dispatch")
    void dispatch() {
        if (!running.compareAndSet(false, true)) {
            return;
        }
        try {
            if (announced.compareAndSet(false, true)) {
                if (msg91.isMock()) {
                    LOG.warning("PARLEY_MSG91_AUTH_KEY is not set: SMS runs in mock mode, each message is logged here and marked sent");
                }
                if (whatsApp.isMock()) {
                    LOG.warning("PARLEY_WHATSAPP_TOKEN is not set: WhatsApp runs in mock mode, each message is logged here and marked sent");
                }
            }
            drain(Notifications.Channel.SMS);
            drain(Notifications.Channel.WHATSAPP);
        } catch (RuntimeException e) {
            SWEEP_FAILED.log(Level.WARNING, "the SMS/WhatsApp dispatch failed; retried next second", e);
        } finally {
            running.set(false);
        }
    }

    private void drain(Notifications.Channel channel) {
        List<NotificationOutbox.Pending> due;
        do {
            due = outbox.claim(channel, BATCH);
            due.forEach(this::send);
        } while (due.size() == BATCH);
    }

    private void send(NotificationOutbox.Pending m) {
        try {
            String id = m.channel() == Notifications.Channel.SMS
                    ? msg91.send(m.to(), m.template(), m.variables())
                    : whatsApp.send(m.to(), m.template(), m.language(), m.variables());
            outbox.sent(m.id(), id);
        } catch (ProviderException e) {
            LOG.warning(m.channel() + " " + m.id() + " attempt " + m.attempt() + " failed: " + e.getMessage());
            outbox.failed(m, e.getMessage(), e.permanent());
        } catch (RuntimeException e) {
            LOG.warning(m.channel() + " " + m.id() + " attempt " + m.attempt() + " failed: " + e);
            outbox.failed(m, String.valueOf(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        }
    }
}
