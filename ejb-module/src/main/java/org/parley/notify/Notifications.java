package org.parley.notify;

import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import org.parley.common.Problems;
import org.parley.identity.Caller;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The notifications outbox, one for every channel. Rows are written in the caller's transaction (a notification exists
 * if and only if its cause committed); the same (account, channel, dedupe key) is written once, so a job run twice
 * notifies once. In-app notifications are delivered by being there; email, SMS and WhatsApp rows wait for their
 * dispatchers ({@link EmailDispatcher}, {@link ChannelDispatcher}), which claim them with a lease.
 */
@Stateless
public class Notifications {

    @PersistenceContext(unitName = "parley")
    private EntityManager em;
    @Inject
    private Clock clock;
    @Inject
    private NotificationTemplates templates;

    public enum Channel { IN_APP, EMAIL, SMS, WHATSAPP }

    /** One in-app notification as its owner reads it. */
    public record View(UUID id, String kind, String title, String body, Instant createdAt, Instant readAt) {
    }

    /** Queues a notification on one channel, whatever the recipient's preferences; false if this (account, channel, dedupe key) was notified already. */
    public boolean notify(UUID accountId, Channel channel, String kind, String title, String body, String dedupeKey) {
        return notify(accountId, channel, kind, title, body, dedupeKey, null);
    }

    /** Like {@link #notify}; an email also carries {@code calendar} (an iCalendar text, its METHOD inside) when not null. */
    public boolean notify(UUID accountId, Channel channel, String kind, String title, String body, String dedupeKey, String calendar) {
        if (channel == Channel.SMS || channel == Channel.WHATSAPP) {
            throw new IllegalArgumentException("SMS and WhatsApp go through notifyEverywhere (they need a template)");
        }
        return insert(accountId, channel, kind, title, body, dedupeKey, calendar, null, null, false, clock.instant());
    }

    /** In-app and on the recipient's other channels; true if the in-app one is new. */
    public boolean notifyEverywhere(UUID accountId, String kind, String title, String body, String dedupeKey) {
        return notifyEverywhere(accountId, kind, title, body, dedupeKey, null, Map.of());
    }

    /** In-app and on the recipient's other channels, the email carrying {@code calendar} (may be null). */
    public boolean notifyEverywhere(UUID accountId, String kind, String title, String body, String dedupeKey, String calendar) {
        return notifyEverywhere(accountId, kind, title, body, dedupeKey, calendar, Map.of());
    }

    /**
     * Tells {@code accountId} about an event of {@code kind}: in-app always; by email, SMS and WhatsApp as the account's
     * preferences allow. In-app and email carry {@code title} and {@code body}; SMS and WhatsApp go out only where the
     * event has a template for them (their providers accept registered templates only), filled from {@code values} and
     * to the account's phone. Each (account, channel, dedupe key) is written once. True if the in-app one is new.
     */
    public boolean notifyEverywhere(UUID accountId, String kind, String title, String body, String dedupeKey, String calendar,
                                    Map<String, String> values) {
        return send(accountId, kind, title, body, dedupeKey, calendar, values, EnumSet.allOf(Channel.class), false);
    }

    /**
     * The general form: {@code channels} limits where it may go (in-app is always among them); a {@code marketing}
     * message reaches only accounts that allow marketing, and its SMS waits for India's daytime window.
     */
    public boolean send(UUID accountId, String kind, String title, String body, String dedupeKey, String calendar, Map<String, String> values,
                        Set<Channel> channels, boolean marketing) {
        Object[] who = (Object[]) em.createNativeQuery("""
                        select a.email, a.phone, coalesce(p.email, true), coalesce(p.sms, true), coalesce(p.whatsapp, true), coalesce(p.marketing, false)
                        from account a left join notification_preference p on p.account_id = a.id where a.id = ?1""")
                .setParameter(1, accountId).getSingleResult();
        if (marketing && !(Boolean) who[5]) {
            return false;
        }
        Instant now = clock.instant();
        boolean fresh = !channels.contains(Channel.IN_APP)
                || insert(accountId, Channel.IN_APP, kind, title, body, dedupeKey, null, null, null, marketing, now);
        if (channels.contains(Channel.EMAIL) && (Boolean) who[2] && who[0] != null) {
            insert(accountId, Channel.EMAIL, kind, title, body, dedupeKey, calendar, null, null, marketing, now);
        }
        String phone = Phones.international((String) who[1]);
        for (Channel c : List.of(Channel.SMS, Channel.WHATSAPP)) {
            boolean allowed = c == Channel.SMS ? (Boolean) who[3] : (Boolean) who[4];
            NotificationTemplates.Template t = allowed && phone != null && channels.contains(c) ? templates.find(kind, c) : null;
            if (t != null) {
                Map<String, String> all = new HashMap<>(values);
                all.putIfAbsent("title", title);
                all.putIfAbsent("body", body);
                if (c == Channel.SMS) {
                    all.replaceAll((name, value) -> smsText(value));
                }
                Instant due = marketing && c == Channel.SMS ? QuietHours.marketingSms().nextAllowed(now) : now;
                insert(accountId, c, kind, title, t.render(all), dedupeKey, null, phone, t.filled(all), marketing, due);
            }
        }
        return fresh;
    }

    private boolean insert(UUID accountId, Channel channel, String kind, String title, String body, String dedupeKey, String calendar,
                           String phone, NotificationTemplates.Filled filled, boolean marketing, Instant due) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        boolean inApp = channel == Channel.IN_APP;
        return em.createNativeQuery("""
                        insert into notification (id, account_id, channel, kind, title, body, dedupe_key, status, next_attempt_at, created_at, sent_at,
                                                  calendar, address, template, language, variables, marketing)
                        values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, cast(?16 as jsonb), ?17)
                        on conflict (account_id, channel, dedupe_key) do nothing""")
                .setParameter(1, UUID.randomUUID()).setParameter(2, accountId).setParameter(3, channel.name()).setParameter(4, kind)
                .setParameter(5, clip(title, 200)).setParameter(6, clip(body, 4000)).setParameter(7, dedupeKey).setParameter(8, inApp ? "SENT" : "PENDING")
                .setParameter(9, inApp ? null : Timestamp.from(due.truncatedTo(ChronoUnit.MICROS))).setParameter(10, Timestamp.from(now))
                .setParameter(11, inApp ? Timestamp.from(now) : null).setParameter(12, channel == Channel.EMAIL ? calendar : null)
                .setParameter(13, phone).setParameter(14, filled == null ? null : filled.template())
                .setParameter(15, filled == null ? null : filled.language()).setParameter(16, filled == null ? null : filled.json())
                .setParameter(17, marketing).executeUpdate() == 1;
    }

    /**
     * An SMS variable in GSM-7: the rupee sign as "Rs " (₹ is outside GSM-7, and one such character makes the whole SMS
     * UCS-2: 70 characters a part instead of 160).
     */
    static String smsText(String value) {
        return value == null ? null : value.replace("₹", "Rs ");
    }

    /** Paise as people read them: {@code ₹1,234.50}. */
    public static String rupees(long paise) {
        return String.format(java.util.Locale.ENGLISH, "₹%,d.%02d", paise / 100, Math.abs(paise % 100));
    }

    private static String clip(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }

    /** The caller's in-app notifications, newest first (only unread ones if asked). */
    @SuppressWarnings("unchecked")
    public List<View> inbox(Caller caller, boolean unreadOnly, int limit) {
        List<Object[]> rows = em.createNativeQuery("select id, kind, title, body, created_at, read_at from notification"
                        + " where account_id = ?1 and channel = 'IN_APP'" + (unreadOnly ? " and read_at is null" : "")
                        + " order by created_at desc, id limit ?2")
                .setParameter(1, caller.id()).setParameter(2, limit).getResultList();
        return rows.stream().map(r -> new View((UUID) r[0], (String) r[1], (String) r[2], (String) r[3],
                org.parley.common.db.Rows.instant(r[4]), r[5] == null ? null : org.parley.common.db.Rows.instant(r[5]))).toList();
    }

    /** Marks every unread in-app notification of the caller's read; how many were. */
    public int markAllRead(Caller caller) {
        return em.createNativeQuery("update notification set read_at = ?2 where account_id = ?1 and channel = 'IN_APP' and read_at is null")
                .setParameter(1, caller.id()).setParameter(2, Timestamp.from(clock.instant())).executeUpdate();
    }

    /** Marks one of the caller's notifications read (someone else's is 404, as if missing); reading twice is harmless. */
    public void markRead(Caller caller, UUID id) {
        int found = em.createNativeQuery("update notification set read_at = coalesce(read_at, ?3) where id = ?1 and account_id = ?2 and channel = 'IN_APP'")
                .setParameter(1, id).setParameter(2, caller.id()).setParameter(3, Timestamp.from(clock.instant())).executeUpdate();
        if (found == 0) {
            throw Problems.notFound("notification");
        }
    }

    /** What an account allows; in-app is always on. */
    public record Preferences(boolean email, boolean sms, boolean whatsapp, boolean marketing) {
    }

    public Preferences preferences(Caller caller) {
        Object[] r = (Object[]) em.createNativeQuery("""
                        select coalesce(p.email, true), coalesce(p.sms, true), coalesce(p.whatsapp, true), coalesce(p.marketing, false)
                        from account a left join notification_preference p on p.account_id = a.id where a.id = ?1""")
                .setParameter(1, caller.id()).getSingleResult();
        return new Preferences((Boolean) r[0], (Boolean) r[1], (Boolean) r[2], (Boolean) r[3]);
    }

    public Preferences setPreferences(Caller caller, Preferences p) {
        em.createNativeQuery("""
                        insert into notification_preference (account_id, email, sms, whatsapp, marketing, updated_at) values (?1, ?2, ?3, ?4, ?5, ?6)
                        on conflict (account_id) do update set email = excluded.email, sms = excluded.sms, whatsapp = excluded.whatsapp,
                            marketing = excluded.marketing, updated_at = excluded.updated_at""")
                .setParameter(1, caller.id()).setParameter(2, p.email()).setParameter(3, p.sms()).setParameter(4, p.whatsapp())
                .setParameter(5, p.marketing()).setParameter(6, Timestamp.from(clock.instant())).executeUpdate();
        return preferences(caller);
    }

    /** An outbox row as admins see it. */
    public record AdminView(UUID id, UUID accountId, Channel channel, String kind, String title, String status, int attempts,
                            String lastError, String deliveryStatus, String deliveryError, String providerMessageId, boolean marketing,
                            Instant createdAt, Instant sentAt, Instant nextAttemptAt) {
    }

    /** Outbox rows, newest first, optionally of a status (PENDING, SENT, FAILED) and a channel. */
    public org.parley.common.Page<AdminView> outbox(String status, Channel channel, org.parley.common.PageRequest page) {
        String where = " where (cast(?1 as varchar) is null or status = cast(?1 as varchar)) and (cast(?2 as varchar) is null or channel = cast(?2 as varchar))";
        String ch = channel == null ? null : channel.name();
        long total = ((Number) em.createNativeQuery("select count(*) from notification" + where).setParameter(1, status).setParameter(2, ch)
                .getSingleResult()).longValue();
        List<?> rows = em.createNativeQuery("""
                        select id, account_id, channel, kind, title, status, attempts, last_error, delivery_status, delivery_error, provider_message_id,
                               marketing, created_at, sent_at, next_attempt_at from notification""" + where + " order by created_at desc, id")
                .setParameter(1, status).setParameter(2, ch).setFirstResult(page.offset()).setMaxResults(page.size()).getResultList();
        return new org.parley.common.Page<>(rows.stream().map(x -> {
            Object[] r = (Object[]) x;
            return new AdminView((UUID) r[0], (UUID) r[1], Channel.valueOf((String) r[2]), (String) r[3], (String) r[4], (String) r[5],
                    ((Number) r[6]).intValue(), (String) r[7], (String) r[8], (String) r[9], (String) r[10], (Boolean) r[11],
                    org.parley.common.db.Rows.instant(r[12]), r[13] == null ? null : org.parley.common.db.Rows.instant(r[13]),
                    r[14] == null ? null : org.parley.common.db.Rows.instant(r[14]));
        }).toList(), page.page(), page.size(), total);
    }
}
