package org.parley.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import org.parley.audit.AuditLog;
import org.parley.batch.BatchJob;
import org.parley.batch.BatchOperations;
import org.parley.common.DomainException.FieldError;
import org.parley.common.Json;
import org.parley.common.Problems;
import org.parley.identity.Caller;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Admins' broadcasts, sent by the {@code broadcast} batch job: its reader walks the audience's active accounts in id
 * order (the checkpoint is the last id written), its writer notifies a chunk of them in the chunk's transaction. Each
 * recipient gets each channel once, whatever is stopped, restarted or redone: the rows' dedupe key is the broadcast's and
 * (account, channel, dedupe key) is unique. In-app and email carry the variables {@code title} and {@code body} (for
 * another template, the key and its rendered text); SMS and WhatsApp use the template of {@code templateKey}.
 */
@Stateless
public class Broadcasts {

    public enum Audience { ALL, USERS, EXPERTS }

    @PersistenceContext(unitName = "parley")
    private EntityManager em;
    @Inject
    private Notifications notifications;
    @Inject
    private NotificationTemplates templates;
    @Inject
    private BatchOperations batch;
    @Inject
    private AuditLog audit;
    @Inject
    private Clock clock;

    /** What a broadcast is, how far it got. */
    public record View(UUID id, Audience audience, Set<Notifications.Channel> channels, String templateKey, Map<String, String> variables,
                       boolean marketing, int audienceSize, int processed, Long executionId) {
    }

    /** The answer to a new broadcast: the job execution sending it. */
    public record Started(UUID broadcastId, long executionId) {
    }

    /**
     * Records a broadcast (committed on return, so the job that then sends it can read it); {@link #start} sends it. The
     * resource calls both, in two transactions.
     */
    @jakarta.ejb.TransactionAttribute(jakarta.ejb.TransactionAttributeType.REQUIRES_NEW)
    public UUID create(Caller admin, Audience audience, Set<Notifications.Channel> channels, String templateKey, Map<String, String> variables,
                       boolean marketing) {
        List<FieldError> errors = new ArrayList<>();
        if (audience == null) {
            errors.add(new FieldError("audience", "ALL, USERS or EXPERTS"));
        }
        if (channels == null || channels.isEmpty()) {
            errors.add(new FieldError("channels", "one or more of IN_APP, EMAIL, SMS, WHATSAPP"));
        }
        if (templateKey == null || !templates.exists(templateKey)) {
            errors.add(new FieldError("templateKey", "a template of GET /admin/notification-templates (announcement always exists)"));
        }
        Map<String, String> vars = variables == null ? Map.of() : variables;
        if ("announcement".equals(templateKey) && (blank(vars.get("title")) || blank(vars.get("body")))) {
            errors.add(new FieldError("variables", "an announcement needs a title and a body"));
        }
        if (vars.values().stream().anyMatch(v -> v == null || v.length() > 1000)) {
            errors.add(new FieldError("variables", "values of at most 1000 characters"));
        }
        if (!errors.isEmpty()) {
            throw Problems.badRequest("the broadcast has errors", errors);
        }
        UUID id = UUID.randomUUID();
        int size = ((Number) em.createNativeQuery("select count(*) from account where status = 'ACTIVE' and role in (select unnest(cast(?1 as varchar[])))")
                .setParameter(1, roles(audience)).getSingleResult()).intValue();
        em.createNativeQuery("""
                        insert into broadcast (id, audience, channels, template_key, variables, marketing, created_by, audience_size, created_at)
                        values (?1, ?2, cast(?3 as jsonb), ?4, cast(?5 as jsonb), ?6, ?7, ?8, ?9)""")
                .setParameter(1, id).setParameter(2, audience.name()).setParameter(3, json(channels)).setParameter(4, templateKey)
                .setParameter(5, json(vars)).setParameter(6, marketing).setParameter(7, admin.id()).setParameter(8, size)
                .setParameter(9, Timestamp.from(clock.instant())).executeUpdate();
        audit.record(admin, "BROADCAST_CREATED", "BROADCAST", id, Map.of("audience", audience.name(), "templateKey", templateKey,
                "channels", channels.toString(), "marketing", marketing));
        return id;
    }

    /** Starts the job that sends a recorded broadcast, {@code chunkSize} recipients per transaction (null: the job's default). */
    public Started start(Caller admin, UUID id, Integer chunkSize) {
        Map<String, String> parameters = new java.util.HashMap<>(Map.of("broadcastId", id.toString()));
        if (chunkSize != null) {
            parameters.put("chunkSize", chunkSize.toString());
        }
        long execution = batch.start(admin, BatchJob.BROADCAST.jobName(), parameters);
        em.createNativeQuery("update broadcast set execution_id = ?2 where id = ?1").setParameter(1, id).setParameter(2, execution).executeUpdate();
        return new Started(id, execution);
    }

    public boolean exists(UUID id) {
        return !em.createNativeQuery("select 1 from broadcast where id = ?1").setParameter(1, id).getResultList().isEmpty();
    }

    public View view(UUID id) {
        List<?> rows = em.createNativeQuery("""
                        select audience, cast(channels as text), template_key, cast(variables as text), marketing, audience_size, processed, execution_id
                        from broadcast where id = ?1""").setParameter(1, id).getResultList();
        if (rows.isEmpty()) {
            throw Problems.notFound("broadcast");
        }
        Object[] r = (Object[]) rows.get(0);
        try {
            List<String> ch = Json.mapper().readValue((String) r[1], new TypeReference<List<String>>() {
            });
            Set<Notifications.Channel> channels = EnumSet.noneOf(Notifications.Channel.class);
            ch.forEach(c -> channels.add(Notifications.Channel.valueOf(c)));
            Map<String, String> vars = Json.mapper().readValue((String) r[3], new TypeReference<Map<String, String>>() {
            });
            return new View(id, Audience.valueOf((String) r[0]), channels, (String) r[2], vars, (Boolean) r[4], ((Number) r[5]).intValue(),
                    ((Number) r[6]).intValue(), r[7] == null ? null : ((Number) r[7]).longValue());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The next {@code limit} recipients after {@code after} (null: from the first), in id order. */
    @SuppressWarnings("unchecked")
    public List<UUID> recipients(UUID broadcastId, UUID after, int limit) {
        Audience audience = view(broadcastId).audience();
        return em.createNativeQuery("""
                        select id from account where status = 'ACTIVE' and role in (select unnest(cast(?1 as varchar[]))) and id > ?2
                        order by id limit ?3""")
                .setParameter(1, roles(audience)).setParameter(2, after == null ? new UUID(0, 0) : after).setParameter(3, limit).getResultList();
    }

    /** Notifies {@code recipients} in the chunk's transaction (each once per channel, whatever runs twice). */
    public void deliver(UUID broadcastId, List<UUID> recipients) {
        View b = view(broadcastId);
        Channels rendered = rendered(b);
        for (UUID account : recipients) {
            notifications.send(account, b.templateKey(), rendered.title(), rendered.body(), "broadcast:" + broadcastId, null, b.variables(),
                    EnumSet.copyOf(b.channels()), b.marketing());
        }
        em.createNativeQuery("update broadcast set processed = processed + ?2 where id = ?1").setParameter(1, broadcastId)
                .setParameter(2, recipients.size()).executeUpdate();
    }

    private record Channels(String title, String body) {
    }

    private Channels rendered(View b) {
        String title = b.variables().getOrDefault("title", b.templateKey());
        String body = b.variables().get("body");
        if (body == null) {
            NotificationTemplates.Template t = templates.find(b.templateKey(), Notifications.Channel.WHATSAPP);
            t = t == null ? templates.find(b.templateKey(), Notifications.Channel.SMS) : t;
            body = t == null ? title : t.render(b.variables());
        }
        return new Channels(title, body);
    }

    private static String[] roles(Audience audience) {
        return switch (audience) {
            case USERS -> new String[]{"USER"};
            case EXPERTS -> new String[]{"EXPERT"};
            case ALL -> new String[]{"USER", "EXPERT", "ADMIN"};
        };
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static String json(Object value) {
        try {
            return Json.mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
