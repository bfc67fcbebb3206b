package org.parley.moderation;

import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.parley.audit.AuditLog;
import org.parley.common.DomainException.FieldError;
import org.parley.common.Page;
import org.parley.common.PageRequest;
import org.parley.common.Problems;
import org.parley.common.db.Rows;
import org.parley.identity.AccountService;
import org.parley.identity.AccountStatus;
import org.parley.identity.Caller;
import org.parley.live.EndReason;
import org.parley.live.LiveEvents;
import org.parley.live.SessionService;
import org.parley.notify.Notifications;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Moderation actions, each with its effects and its audit entry in one transaction. SUSPEND suspends the account
 * (its tokens revoked, an expert taken offline), ends its live sessions ({@code admin-ended}, settled as usual), closes
 * its sockets on every node (after commit) and, with a duration, is lifted by {@link ModerationTimers} from the
 * database; UNSUSPEND lifts it at once; HIDE_MESSAGE hides one chat line from its participants (admins still read
 * it) and tells them {@code message-hidden}; WARN notifies the account.
 */
@Stateless
public class Moderation {

    static final Set<String> ACTIONS = Set.of("WARN", "SUSPEND", "UNSUSPEND", "HIDE_MESSAGE");

    @PersistenceContext(unitName = "parley")
    private EntityManager em;
    @Inject
    private AccountService accounts;
    @Inject
    private SessionService sessions;
    @Inject
    private LiveEvents events;
    @Inject
    private Reports reports;
    @Inject
    private Notifications notifications;
    @Inject
    private AuditLog audit;
    @Inject
    private Clock clock;
    /** Seconds in a suspension's hour: 3600, shortened only by test servers. */
    @Inject
    @ConfigProperty(name = "parley.moderation.hour-seconds", defaultValue = "3600")
    long hourSeconds;

    public record ActionView(UUID id, UUID accountId, String action, String reason, Integer durationHours, Instant endsAt, Instant liftedAt,
                             UUID reportId, String messageRef, UUID actorId, Instant createdAt) {
    }

    public ActionView act(Caller admin, UUID accountId, String action, String reason, Integer durationHours, UUID reportId, String messageRef) {
        if (action == null || !ACTIONS.contains(action)) {
            throw Problems.badRequest("unknown action", List.of(new FieldError("action", "one of HIDE_MESSAGE, SUSPEND, UNSUSPEND, WARN")));
        }
        if (durationHours != null && !"SUSPEND".equals(action)) {
            throw Problems.badRequest("durationHours is for SUSPEND", List.of(new FieldError("durationHours", "only with SUSPEND")));
        }
        MessageRef ref = "HIDE_MESSAGE".equals(action) ? MessageRef.parse(messageRef, "messageRef") : null;
        List<?> target = em.createNativeQuery("select role, status from account where id = ?1 for update").setParameter(1, accountId).getResultList();
        if (target.isEmpty()) {
            throw Problems.notFound("account");
        }
        Object[] t = (Object[]) target.get(0);
        if (admin.id().equals(accountId) || "ADMIN".equals(t[0])) {
            throw Problems.rule("not-moderatable", "moderation acts on users and experts, not on admins");
        }
        if (reportId != null) {
            reports.requireExists(reportId);
        }
        Instant now = now();
        Instant endsAt = null;
        switch (action) {
            case "WARN" -> notifications.notifyEverywhere(accountId, "moderation-warning", "A warning from Parley's moderators",
                    reason + "\n\nRepeated breaches of the community rules lead to suspension.", "moderation-warning:" + UUID.randomUUID());
            case "SUSPEND" -> {
                if (!AccountStatus.ACTIVE.name().equals(t[1])) {
                    throw Problems.conflict("not-active", "the account is " + t[1] + ", not ACTIVE");
                }
                accounts.adminUpdate(accountId, null, AccountStatus.SUSPENDED, admin);
                for (Object session : em.createNativeQuery("select id from live_session where status <> 'ENDED' and (user_id = ?1 or expert_id = ?1)")
                        .setParameter(1, accountId).getResultList()) {
                    sessions.endBySystem((UUID) session, EndReason.ADMIN_ENDED);
                }
                events.closeSockets(accountId, "account-suspended", "this account has been suspended");
                endsAt = durationHours == null ? null : now.plusSeconds(durationHours * hourSeconds);
            }
            case "UNSUSPEND" -> {
                if (!AccountStatus.SUSPENDED.name().equals(t[1])) {
                    throw Problems.conflict("not-suspended", "the account is " + t[1] + ", not SUSPENDED");
                }
                accounts.adminUpdate(accountId, null, AccountStatus.ACTIVE, admin);
                liftAll(accountId, now);
            }
            default -> hide(accountId, ref, now);
        }
        UUID id = UUID.randomUUID();
        em.createNativeQuery("""
                        insert into moderation_action (id, account_id, action, reason, duration_hours, ends_at, report_id, message_ref, actor_id, created_at)
                        values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)""")
                .setParameter(1, id).setParameter(2, accountId).setParameter(3, action).setParameter(4, reason)
                .setParameter(5, durationHours).setParameter(6, endsAt == null ? null : Timestamp.from(endsAt)).setParameter(7, reportId)
                .setParameter(8, ref == null ? null : ref.toString()).setParameter(9, admin.id()).setParameter(10, Timestamp.from(now))
                .executeUpdate();
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("actionId", id);
        metadata.put("reason", reason);
        if (durationHours != null) {
            metadata.put("durationHours", durationHours);
        }
        if (reportId != null) {
            metadata.put("reportId", reportId);
        }
        if (ref != null) {
            metadata.put("messageRef", ref.toString());
        }
        audit.record(admin, "MODERATION_" + action, "ACCOUNT", accountId, metadata);
        return find(id);
    }

    /** Hides one line of {@code accountId}'s (404 if there is no such line, 422 if it is someone else's, 409 if hidden). */
    private void hide(UUID accountId, MessageRef ref, Instant now) {
        List<?> rows = em.createNativeQuery("""
                        select m.sender_id, m.hidden_at is not null, s.user_id, s.expert_id from chat_message m
                        join live_session s on s.id = m.session_id where m.session_id = ?1 and m.seq = ?2 for update of m""")
                .setParameter(1, ref.sessionId()).setParameter(2, ref.seq()).getResultList();
        if (rows.isEmpty()) {
            throw Problems.notFound("message");
        }
        Object[] m = (Object[]) rows.get(0);
        if (!accountId.equals(m[0])) {
            throw Problems.rule("not-their-message", "the line was sent by someone else");
        }
        if ((Boolean) m[1]) {
            throw Problems.conflict("already-hidden", "the line is hidden already");
        }
        em.createNativeQuery("update chat_message set hidden_at = ?3 where session_id = ?1 and seq = ?2")
                .setParameter(1, ref.sessionId()).setParameter(2, ref.seq()).setParameter(3, Timestamp.from(now)).executeUpdate();
        Map<String, Object> frame = new LinkedHashMap<>();
        frame.put("type", "message-hidden");
        frame.put("sessionId", ref.sessionId());
        frame.put("seq", ref.seq());
        events.publish((UUID) m[2], frame);
        events.publish((UUID) m[3], frame);
    }

    private void liftAll(UUID accountId, Instant now) {
        em.createNativeQuery("update moderation_action set lifted_at = ?2 where account_id = ?1 and action = 'SUSPEND' and lifted_at is null")
                .setParameter(1, accountId).setParameter(2, Timestamp.from(now)).executeUpdate();
    }

    /** Timed suspensions whose end has come and that are not lifted yet. */
    @SuppressWarnings("unchecked")
    public List<UUID> dueLifts(Instant now, int limit) {
        return em.createNativeQuery("select id from moderation_action where action = 'SUSPEND' and lifted_at is null and ends_at <= ?1"
                + " order by ends_at limit ?2").setParameter(1, Timestamp.from(now)).setParameter(2, limit).getResultList();
    }

    /**
     * Lifts one timed suspension (its row locked; another node's is skipped): marks it lifted and, unless another
     * suspension of the account still runs (open-ended or ending later), reactivates the account and tells it.
     */
    public void lift(UUID actionId) {
        List<?> rows = em.createNativeQuery("select account_id from moderation_action where id = ?1 and lifted_at is null for update skip locked")
                .setParameter(1, actionId).getResultList();
        if (rows.isEmpty()) {
            return;
        }
        UUID account = (UUID) rows.get(0);
        Instant now = now();
        em.createNativeQuery("update moderation_action set lifted_at = ?2 where id = ?1").setParameter(1, actionId)
                .setParameter(2, Timestamp.from(now)).executeUpdate();
        long stillRunning = ((Number) em.createNativeQuery("select count(*) from moderation_action where account_id = ?1 and action = 'SUSPEND'"
                + " and lifted_at is null and (ends_at is null or ends_at > ?2)").setParameter(1, account).setParameter(2, Timestamp.from(now))
                .getSingleResult()).longValue();
        audit.record(null, "MODERATION_LIFTED", "ACCOUNT", account, Map.of("actionId", actionId, "reinstated", stillRunning == 0));
        if (stillRunning == 0 && accounts.reinstateBySystem(account, "suspension " + actionId + " ended")) {
            notifications.notifyEverywhere(account, "moderation-lifted", "Your Parley account is active again",
                    "Your suspension has ended; you can sign in again.", "moderation-lifted:" + actionId);
        }
    }

    /** Actions, newest first, of one account or all. */
    @SuppressWarnings("unchecked")
    public Page<ActionView> list(UUID accountId, PageRequest page) {
        String where = accountId == null ? "" : " where account_id = ?1";
        var q = em.createNativeQuery("select id from moderation_action" + where + " order by created_at desc, id");
        var count = em.createNativeQuery("select count(*) from moderation_action" + where);
        if (accountId != null) {
            q.setParameter(1, accountId);
            count.setParameter(1, accountId);
        }
        List<UUID> ids = q.setFirstResult(page.offset()).setMaxResults(page.size()).getResultList();
        return new Page<>(ids.stream().map(this::find).toList(), page.page(), page.size(), ((Number) count.getSingleResult()).longValue());
    }

    private ActionView find(UUID id) {
        Object[] r = (Object[]) em.createNativeQuery("""
                        select id, account_id, action, reason, duration_hours, ends_at, lifted_at, report_id, message_ref, actor_id, created_at
                        from moderation_action where id = ?1""").setParameter(1, id).getSingleResult();
        return new ActionView((UUID) r[0], (UUID) r[1], (String) r[2], (String) r[3], r[4] == null ? null : ((Number) r[4]).intValue(),
                r[5] == null ? null : Rows.instant(r[5]), r[6] == null ? null : Rows.instant(r[6]), (UUID) r[7], (String) r[8], (UUID) r[9],
                Rows.instant(r[10]));
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
