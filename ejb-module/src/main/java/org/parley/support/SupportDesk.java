package org.parley.support;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.parley.audit.AuditLog;
import org.parley.common.DomainException.FieldError;
import org.parley.common.Json;
import org.parley.common.Page;
import org.parley.common.PageRequest;
import org.parley.common.Problems;
import org.parley.common.db.Rows;
import org.parley.identity.Caller;
import org.parley.identity.Role;
import org.parley.live.LiveEvents;
import org.parley.notify.Notifications;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The support desk: tickets with gapless numbers and service levels, their messages (staff-only internal notes
 * included) stored with a per-ticket sequence before they are relayed to {@code /ws/support}, and the one place where
 * a ticket's status moves ({@link #move}). Requesters (USER or EXPERT) see their own tickets, admins all; anyone else
 * gets 404.
 */
@Stateless
public class SupportDesk {

    /** Service levels by priority: minutes to the first response and to the resolution. */
    static final Map<String, long[]> LEVELS = Map.of("URGENT", new long[]{30, 240}, "HIGH", new long[]{120, 1_440},
            "NORMAL", new long[]{480, 4_320}, "LOW", new long[]{1_440, 10_080});
    private static final Duration REOPEN_WITHIN = Duration.ofDays(7);
    private static final TypeReference<List<UUID>> IDS = new TypeReference<>() {
    };
    private static final String COLUMNS = """
            id, number, status, subject, description, category, priority, requester_id, assignee_id, session_id, cast(attachment_ids as text),
            first_response_due_at, resolution_due_at, first_responded_at, resolved_at, closed_at, breached_first_response, breached_resolution,
            rating, rating_comment, created_at, updated_at""";

    private static final String MESSAGE_COLUMNS = "seq, sender_id, sender_role, body, internal, cast(attachment_ids as text), sent_at, client_msg_id";

    @PersistenceContext(unitName = "parley")
    private EntityManager em;
    @Inject
    private AuditLog audit;
    @Inject
    private LiveEvents events;
    @Inject
    private Notifications notifications;
    @Inject
    private Clock clock;
    /** Service levels are multiplied by this: 1 in production; test servers shorten them. */
    @Inject
    @ConfigProperty(name = "parley.support.sla-scale", defaultValue = "1")
    double slaScale;

    public record Breached(boolean firstResponse, boolean resolution) {
    }

    public record TicketView(UUID id, long number, String status, String subject, String description, String category, String priority,
                             UUID requesterId, UUID assigneeId, UUID sessionId, List<UUID> attachmentIds, Instant firstResponseDueAt,
                             Instant resolutionDueAt, Instant firstRespondedAt, Instant resolvedAt, Instant closedAt, Breached breached,
                             Integer rating, String ratingComment, Instant createdAt, Instant updatedAt) {
    }

    public record Message(UUID ticketId, int seq, UUID senderId, String senderRole, String body, boolean internal, List<UUID> attachmentIds,
                          Instant sentAt, String clientMsgId) {
    }

    public record History(List<Message> items) {
    }

    public TicketView create(Caller caller, String subject, String description, String category, String priority, UUID sessionId,
                             List<UUID> attachmentIds) {
        if (caller.role() == Role.ADMIN) {
            throw Problems.forbidden("tickets are opened by users and experts");
        }
        String level = priority == null ? "NORMAL" : priority;
        if (sessionId != null && em.createNativeQuery("select 1 from live_session where id = ?1 and (user_id = ?2 or expert_id = ?2)")
                .setParameter(1, sessionId).setParameter(2, caller.id()).getResultList().isEmpty()) {
            throw Problems.notFound("session");
        }
        requireAttachments(caller, attachmentIds);
        long number = ((Number) em.createNativeQuery("update support_ticket_number set last = last + 1 where id = 1 returning last")
                .getSingleResult()).longValue();
        UUID id = UUID.randomUUID();
        Instant now = now();
        Instant[] due = dueTimes(level, now);
        em.createNativeQuery("""
                        insert into support_ticket (id, number, requester_id, subject, description, category, priority, status, session_id,
                            attachment_ids, first_response_due_at, resolution_due_at, created_at, updated_at)
                        values (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'OPEN', ?8, cast(?9 as jsonb), ?10, ?11, ?12, ?12)""")
                .setParameter(1, id).setParameter(2, number).setParameter(3, caller.id()).setParameter(4, subject).setParameter(5, description)
                .setParameter(6, category).setParameter(7, level).setParameter(8, sessionId).setParameter(9, json(attachmentIds))
                .setParameter(10, Timestamp.from(due[0])).setParameter(11, Timestamp.from(due[1])).setParameter(12, Timestamp.from(now))
                .executeUpdate();
        audit.record(caller, "TICKET_CREATED", "TICKET", id, Map.of("number", number, "category", category, "priority", level));
        return find(id);
    }

    /** When the first response and the resolution of a ticket of {@code priority} made at {@code from} are due. */
    Instant[] dueTimes(String priority, Instant from) {
        long[] minutes = LEVELS.get(priority);
        return new Instant[]{from.plusMillis(Math.round(minutes[0] * 60_000 * slaScale)), from.plusMillis(Math.round(minutes[1] * 60_000 * slaScale))};
    }

    public TicketView get(Caller caller, UUID id) {
        visibleRow(caller, id);
        return find(id);
    }

    /** The caller's own tickets, or for an admin every ticket matching the filters; newest first. */
    @SuppressWarnings("unchecked")
    public Page<TicketView> list(Caller caller, String status, UUID assigneeId, String priority, String category, Boolean breached,
                                 PageRequest page) {
        StringBuilder where = new StringBuilder(" where true");
        Map<String, Object> params = new LinkedHashMap<>();
        if (!caller.isAdmin()) {
            where.append(" and requester_id = :me");
            params.put("me", caller.id());
        }
        if (status != null) {
            where.append(" and status = :status");
            params.put("status", status);
        }
        if (assigneeId != null) {
            where.append(" and assignee_id = :assignee");
            params.put("assignee", assigneeId);
        }
        if (priority != null) {
            where.append(" and priority = :priority");
            params.put("priority", priority);
        }
        if (category != null) {
            where.append(" and category = :category");
            params.put("category", category);
        }
        if (breached != null) {
            where.append(breached ? " and (breached_first_response or breached_resolution)"
                    : " and not (breached_first_response or breached_resolution)");
        }
        var q = em.createNativeQuery("select " + COLUMNS + " from support_ticket" + where + " order by created_at desc, id");
        var count = em.createNativeQuery("select count(*) from support_ticket" + where);
        params.forEach((k, v) -> {
            q.setParameter(k, v);
            count.setParameter(k, v);
        });
        List<Object[]> rows = q.setFirstResult(page.offset()).setMaxResults(page.size()).getResultList();
        return new Page<>(rows.stream().map(SupportDesk::view).toList(), page.page(), page.size(), ((Number) count.getSingleResult()).longValue());
    }

    /**
     * Adds a message (numbered under the ticket's row lock) and relays it after commit: to the requester's sockets
     * unless it is an internal note, and to every admin's. Internal notes are for admins only (403); a CLOSED ticket
     * takes no messages (409); the first public admin message is the first response; a requester's message reopens a
     * RESOLVED ticket. A retried {@code clientMsgId} answers the line stored the first time.
     */
    public Message post(Caller caller, UUID ticketId, String body, boolean internal, List<UUID> attachmentIds, String clientMsgId) {
        Object[] t = lockedVisible(caller, ticketId);
        if (internal && !caller.isAdmin()) {
            throw Problems.forbidden("internal notes are for staff");
        }
        if (clientMsgId != null) {
            List<?> earlier = em.createNativeQuery("select seq from support_message where ticket_id = ?1 and sender_id = ?2 and client_msg_id = ?3")
                    .setParameter(1, ticketId).setParameter(2, caller.id()).setParameter(3, clientMsgId).getResultList();
            if (!earlier.isEmpty()) {
                return message(ticketId, ((Number) earlier.get(0)).intValue());
            }
        }
        String status = (String) t[0];
        if ("CLOSED".equals(status)) {
            throw Problems.conflict("ticket-closed", "the ticket is closed");
        }
        requireAttachments(caller, attachmentIds);
        Instant now = now();
        int seq = ((Number) em.createNativeQuery("update support_ticket set last_seq = last_seq + 1, updated_at = ?2 where id = ?1 returning last_seq")
                .setParameter(1, ticketId).setParameter(2, Timestamp.from(now)).getSingleResult()).intValue();
        em.createNativeQuery("""
                        insert into support_message (ticket_id, seq, sender_id, sender_role, body, internal, attachment_ids, client_msg_id, sent_at)
                        values (?1, ?2, ?3, ?4, ?5, ?6, cast(?7 as jsonb), ?8, ?9)""")
                .setParameter(1, ticketId).setParameter(2, seq).setParameter(3, caller.id()).setParameter(4, caller.role().name())
                .setParameter(5, body).setParameter(6, internal).setParameter(7, json(attachmentIds)).setParameter(8, clientMsgId)
                .setParameter(9, Timestamp.from(now)).executeUpdate();
        if (caller.isAdmin() && !internal) {
            em.createNativeQuery("update support_ticket set first_responded_at = coalesce(first_responded_at, ?2) where id = ?1")
                    .setParameter(1, ticketId).setParameter(2, Timestamp.from(now)).executeUpdate();
        }
        UUID requester = (UUID) t[1];
        if (caller.id().equals(requester) && "RESOLVED".equals(status)) {
            apply(caller, ticketId, status, "OPEN", now);
        }
        Message m = message(ticketId, seq);
        Map<String, Object> frame = frame(m);
        if (!internal) {
            events.publish(LiveEvents.SUPPORT, requester, frame);
        }
        events.publish(LiveEvents.SUPPORT, null, frame);
        return m;
    }

    /** Each attachment must be a TICKET_ATTACHMENT file the caller uploaded (422 naming the first that is not). */
    private void requireAttachments(Caller caller, List<UUID> attachmentIds) {
        if (attachmentIds == null) {
            return;
        }
        List<FieldError> bad = new ArrayList<>();
        for (int i = 0; i < attachmentIds.size(); i++) {
            if (em.createNativeQuery("select 1 from stored_file where id = ?1 and owner_id = ?2 and purpose = 'TICKET_ATTACHMENT'")
                    .setParameter(1, attachmentIds.get(i)).setParameter(2, caller.id()).getResultList().isEmpty()) {
                bad.add(new FieldError("attachmentIds[" + i + "]", "not a TICKET_ATTACHMENT file of yours"));
            }
        }
        if (!bad.isEmpty()) {
            throw Problems.rule("bad-attachments", "attachments are TICKET_ATTACHMENT files you uploaded", bad);
        }
    }

    /** {@code typing {ticketId, fromId}} to the ticket's other side: the requester and the admins, never the typist's own sockets. */
    public void typing(Caller caller, UUID ticketId) {
        Object[] t = visibleRow(caller, ticketId);
        Map<String, Object> frame = new LinkedHashMap<>();
        frame.put("type", "typing");
        frame.put("ticketId", ticketId);
        frame.put("fromId", caller.id());
        frame.put(LiveEvents.EXCEPT, caller.id().toString());
        if (!caller.id().equals(t[1])) {
            events.publish(LiveEvents.SUPPORT, (UUID) t[1], frame);
        }
        events.publish(LiveEvents.SUPPORT, null, frame);
    }

    /** The ticket's messages after {@code afterSeq}, in order; internal notes only for admins. */
    @SuppressWarnings("unchecked")
    public History messages(Caller caller, UUID ticketId, int afterSeq) {
        if (afterSeq < 0) {
            throw Problems.badRequest("afterSeq must be 0 or more", List.of(new FieldError("afterSeq", "0 or more")));
        }
        visibleRow(caller, ticketId);
        List<Object[]> rows = em.createNativeQuery("select " + MESSAGE_COLUMNS + " from support_message where ticket_id = ?1 and seq > ?2"
                        + (caller.isAdmin() ? "" : " and not internal") + " order by seq limit 1000")
                .setParameter(1, ticketId).setParameter(2, afterSeq).getResultList();
        return new History(rows.stream().map(r -> message(ticketId, r)).toList());
    }

    /**
     * {@code PATCH}: a status move, an assignee (an ADMIN) or a priority (its due times recomputed from creation). Only
     * admins assign, change priority, or move to IN_PROGRESS or RESOLVED; see {@link #move} for the machine.
     */
    public TicketView update(Caller caller, UUID ticketId, String status, UUID assigneeId, String priority) {
        Object[] t = lockedVisible(caller, ticketId);
        Instant now = now();
        if ((assigneeId != null || priority != null) && !caller.isAdmin()) {
            throw Problems.forbidden("only staff assign tickets or change their priority");
        }
        if (assigneeId != null) {
            List<?> role = em.createNativeQuery("select role from account where id = ?1 and status = 'ACTIVE'").setParameter(1, assigneeId).getResultList();
            if (role.isEmpty() || !"ADMIN".equals(role.get(0))) {
                throw Problems.rule("assignee-not-staff", "tickets are assigned to active admins", List.of(new FieldError("assigneeId", "not an admin")));
            }
            em.createNativeQuery("update support_ticket set assignee_id = ?2, updated_at = ?3 where id = ?1").setParameter(1, ticketId)
                    .setParameter(2, assigneeId).setParameter(3, Timestamp.from(now)).executeUpdate();
            audit.record(caller, "TICKET_ASSIGNED", "TICKET", ticketId, Map.of("assigneeId", assigneeId));
        }
        if (priority != null) {
            Instant created = Rows.instant(em.createNativeQuery("select created_at from support_ticket where id = ?1").setParameter(1, ticketId)
                    .getSingleResult());
            Instant[] due = dueTimes(priority, created);
            em.createNativeQuery("update support_ticket set priority = ?2, first_response_due_at = ?3, resolution_due_at = ?4, updated_at = ?5 where id = ?1")
                    .setParameter(1, ticketId).setParameter(2, priority).setParameter(3, Timestamp.from(due[0])).setParameter(4, Timestamp.from(due[1]))
                    .setParameter(5, Timestamp.from(now)).executeUpdate();
            audit.record(caller, "TICKET_PRIORITY_CHANGED", "TICKET", ticketId, Map.of("priority", priority));
        }
        if (status != null) {
            move(caller, ticketId, (String) t[0], status, (UUID) t[1], t[2] == null ? null : Rows.instant(t[2]), now);
        }
        return find(ticketId);
    }

    /**
     * The status machine, the one place it is decided: OPEN → IN_PROGRESS (admin); OPEN or IN_PROGRESS → RESOLVED
     * (admin); RESOLVED → OPEN (the requester within 7 days of the resolution, or an admin); any but CLOSED → CLOSED (the
     * requester or an admin); CLOSED is final. Anything else is 409; a legal move by the wrong side is 403.
     */
    private void move(Caller caller, UUID ticketId, String from, String to, UUID requester, Instant resolvedAt, Instant now) {
        boolean admin = caller.isAdmin();
        boolean own = caller.id().equals(requester);
        boolean legal = switch (from + ">" + to) {
            case "OPEN>IN_PROGRESS", "OPEN>RESOLVED", "IN_PROGRESS>RESOLVED", "RESOLVED>OPEN", "OPEN>CLOSED", "IN_PROGRESS>CLOSED",
                 "RESOLVED>CLOSED" -> true;
            default -> false;
        };
        if (!legal) {
            throw Problems.conflict("illegal-ticket-transition", "a " + from + " ticket cannot move to " + to);
        }
        boolean allowed = switch (to) {
            case "IN_PROGRESS", "RESOLVED" -> admin;
            case "OPEN" -> admin || (own && resolvedAt != null && Duration.between(resolvedAt, now).compareTo(REOPEN_WITHIN) <= 0);
            default -> admin || own;
        };
        if (!allowed) {
            if ("OPEN".equals(to) && own) {
                throw Problems.conflict("reopen-window-over", "a resolved ticket can be reopened within 7 days of its resolution");
            }
            throw Problems.forbidden("only staff move a ticket to " + to);
        }
        apply(caller, ticketId, from, to, now);
    }

    private void apply(Caller caller, UUID ticketId, String from, String to, Instant now) {
        em.createNativeQuery("""
                        update support_ticket set status = ?2, updated_at = ?3,
                            resolved_at = case when ?2 = 'RESOLVED' then ?3 when ?2 = 'OPEN' then null else resolved_at end,
                            closed_at = case when ?2 = 'CLOSED' then ?3 else closed_at end
                        where id = ?1""").setParameter(1, ticketId).setParameter(2, to).setParameter(3, Timestamp.from(now)).executeUpdate();
        audit.record(caller, "TICKET_" + to, "TICKET", ticketId, Map.of("from", from, "to", to));
    }

    /** The requester rates a RESOLVED or CLOSED ticket, once (409 otherwise). */
    public TicketView rate(Caller caller, UUID ticketId, int rating, String comment) {
        Object[] t = lockedVisible(caller, ticketId);
        if (!caller.id().equals(t[1])) {
            throw Problems.forbidden("only the requester rates a ticket");
        }
        if (!"RESOLVED".equals(t[0]) && !"CLOSED".equals(t[0])) {
            throw Problems.conflict("not-resolved", "a ticket is rated once it is resolved");
        }
        int done = em.createNativeQuery("update support_ticket set rating = ?2, rating_comment = ?3, rated_at = ?4 where id = ?1 and rating is null")
                .setParameter(1, ticketId).setParameter(2, rating).setParameter(3, comment).setParameter(4, Timestamp.from(now())).executeUpdate();
        if (done == 0) {
            throw Problems.conflict("already-rated", "the ticket has been rated");
        }
        audit.record(caller, "TICKET_RATED", "TICKET", ticketId, Map.of("rating", rating));
        return find(ticketId);
    }

    // ---- service levels ----

    /** Tickets with a due time passed unmet and not yet flagged, as (id, "first-response" | "resolution"). */
    @SuppressWarnings("unchecked")
    public List<Object[]> dueBreaches(Instant now, int limit) {
        return em.createNativeQuery("""
                        (select id, 'first-response' from support_ticket where first_responded_at is null and not breached_first_response
                           and status in ('OPEN', 'IN_PROGRESS') and first_response_due_at <= ?1 order by first_response_due_at limit ?2)
                        union all
                        (select id, 'resolution' from support_ticket where resolved_at is null and not breached_resolution
                           and status in ('OPEN', 'IN_PROGRESS') and resolution_due_at <= ?1 order by resolution_due_at limit ?2)""")
                .setParameter(1, Timestamp.from(now)).setParameter(2, limit).getResultList();
    }

    /** Flags one breach once (a conditional update), notifies the assignee or, unassigned, every admin, and audits it. */
    @SuppressWarnings("unchecked")
    public void flagBreach(UUID ticketId, String kind) {
        String column = "first-response".equals(kind) ? "breached_first_response" : "breached_resolution";
        String met = "first-response".equals(kind) ? "first_responded_at" : "resolved_at";
        String due = "first-response".equals(kind) ? "first_response_due_at" : "resolution_due_at";
        List<Object[]> flagged = em.createNativeQuery("update support_ticket set " + column + " = true where id = ?1 and not " + column
                        + " and " + met + " is null and status in ('OPEN', 'IN_PROGRESS') and " + due + " <= ?2 returning number, assignee_id")
                .setParameter(1, ticketId).setParameter(2, Timestamp.from(now())).getResultList();
        if (flagged.isEmpty()) {
            return;
        }
        Object[] r = flagged.get(0);
        List<UUID> to = r[1] != null ? List.of((UUID) r[1])
                : em.createNativeQuery("select id from account where role = 'ADMIN' and status = 'ACTIVE'").getResultList();
        for (UUID admin : to) {
            notifications.notifyEverywhere(admin, "ticket-breach", "Ticket #" + r[0] + " missed its " + kind + " time",
                    "Support ticket #" + r[0] + " has passed its " + kind + " due time unmet.", "ticket:" + ticketId + ":breach:" + kind);
        }
        audit.record(null, "TICKET_SLA_BREACHED", "TICKET", ticketId, Map.of("kind", kind, "number", r[0]));
    }

    // ---- reading ----

    /** (status, requester, resolved_at) if the caller is the requester or an admin; 404 otherwise. */
    private Object[] visibleRow(Caller caller, UUID id) {
        List<?> rows = em.createNativeQuery("select status, requester_id, resolved_at from support_ticket where id = ?1").setParameter(1, id).getResultList();
        return require(caller, rows);
    }

    private Object[] lockedVisible(Caller caller, UUID id) {
        List<?> rows = em.createNativeQuery("select status, requester_id, resolved_at from support_ticket where id = ?1 for update")
                .setParameter(1, id).getResultList();
        return require(caller, rows);
    }

    private static Object[] require(Caller caller, List<?> rows) {
        if (rows.isEmpty() || !(caller.isAdmin() || caller.id().equals(((Object[]) rows.get(0))[1]))) {
            throw Problems.notFound("ticket");
        }
        return (Object[]) rows.get(0);
    }

    private TicketView find(UUID id) {
        return view((Object[]) em.createNativeQuery("select " + COLUMNS + " from support_ticket where id = ?1").setParameter(1, id).getSingleResult());
    }

    private static TicketView view(Object[] r) {
        return new TicketView((UUID) r[0], ((Number) r[1]).longValue(), (String) r[2], (String) r[3], (String) r[4], (String) r[5], (String) r[6],
                (UUID) r[7], (UUID) r[8], (UUID) r[9], ids((String) r[10]), Rows.instant(r[11]), Rows.instant(r[12]), instant(r[13]),
                instant(r[14]), instant(r[15]), new Breached((Boolean) r[16], (Boolean) r[17]), r[18] == null ? null : ((Number) r[18]).intValue(),
                (String) r[19], Rows.instant(r[20]), Rows.instant(r[21]));
    }

    private Message message(UUID ticketId, int seq) {
        return message(ticketId, (Object[]) em.createNativeQuery("select " + MESSAGE_COLUMNS + " from support_message where ticket_id = ?1 and seq = ?2")
                .setParameter(1, ticketId).setParameter(2, seq).getSingleResult());
    }

    private static Message message(UUID ticketId, Object[] r) {
        return new Message(ticketId, ((Number) r[0]).intValue(), (UUID) r[1], (String) r[2], (String) r[3], (Boolean) r[4], ids((String) r[5]),
                Rows.instant(r[6]), (String) r[7]);
    }

    private static Map<String, Object> frame(Message m) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("type", "support-message");
        f.put("ticketId", m.ticketId());
        f.put("seq", m.seq());
        f.put("senderId", m.senderId());
        f.put("senderRole", m.senderRole());
        f.put("body", m.body());
        f.put("internal", m.internal());
        f.put("attachmentIds", m.attachmentIds());
        f.put("sentAt", m.sentAt().toString());
        f.put("clientMsgId", m.clientMsgId());
        return f;
    }

    private static Instant instant(Object o) {
        return o == null ? null : Rows.instant(o);
    }

    private static List<UUID> ids(String text) {
        try {
            return text == null ? List.of() : Json.mapper().readValue(text, IDS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String json(List<UUID> ids) {
        try {
            return Json.mapper().writeValueAsString(ids == null ? List.of() : new ArrayList<>(ids));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
