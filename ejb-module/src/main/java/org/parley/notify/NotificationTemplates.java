package org.parley.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import org.parley.audit.AuditLog;
import org.parley.common.DomainException.FieldError;
import org.parley.common.Json;
import org.parley.common.Problems;
import org.parley.identity.Caller;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The SMS and WhatsApp templates, one per event and channel, in the {@code notification_template} table: the template a
 * provider has registered (an SMS's DLT template id, a WhatsApp template's name and language), its variables in order,
 * and its text (what the person reads, kept for the outbox and the admins). Admins replace them as their providers
 * approve new ones.
 */
@Stateless
public class NotificationTemplates {

    @PersistenceContext(unitName = "parley")
    private EntityManager em;
    @Inject
    private AuditLog audit;
    @Inject
    private Clock clock;

    /** A template as stored and listed. */
    public record Template(String event, Notifications.Channel channel, String template, String language, List<String> variables, String text) {

        /** The variables' values in order ("" for a missing one, as providers refuse a missing variable). */
        public Filled filled(Map<String, String> values) {
            List<String> ordered = variables.stream().map(v -> values.getOrDefault(v, "")).toList();
            try {
                return new Filled(template, language, Json.mapper().writeValueAsString(ordered));
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException(e);
            }
        }

        /** The text with its placeholders ({@code {#var#}} in order, or {@code {{n}}}) replaced by the values. */
        public String render(Map<String, String> values) {
            String out = text;
            for (int i = 0; i < variables.size(); i++) {
                String value = values.getOrDefault(variables.get(i), "");
                out = out.replace("{{" + (i + 1) + "}}", value);
                int at = out.indexOf("{#var#}");
                if (at >= 0) {
                    out = out.substring(0, at) + value + out.substring(at + "{#var#}".length());
                }
            }
            return out;
        }
    }

    /** What an outbox row of SMS or WhatsApp keeps: the provider's template, its language, the values as a JSON array. */
    public record Filled(String template, String language, String json) {
    }

    public Template find(String event, Notifications.Channel channel) {
        List<?> rows = em.createNativeQuery(SELECT + " where event = ?1 and channel = ?2").setParameter(1, event)
                .setParameter(2, channel.name()).getResultList();
        return rows.isEmpty() ? null : template((Object[]) rows.get(0));
    }

    public List<Template> all() {
        return em.createNativeQuery(SELECT + " order by event, channel").getResultList().stream().map(r -> template((Object[]) r)).toList();
    }

    /** The events a broadcast may use: those with a template on some channel (announcement among them). */
    public boolean exists(String event) {
        return !em.createNativeQuery("select 1 from notification_template where event = ?1").setParameter(1, event).getResultList().isEmpty();
    }

    /** Replaces (or adds) the template of {@code event} on SMS or WhatsApp. */
    public Template put(Caller admin, String event, Notifications.Channel channel, String template, String language, List<String> variables,
                        String text) {
        List<FieldError> errors = new ArrayList<>();
        if (channel != Notifications.Channel.SMS && channel != Notifications.Channel.WHATSAPP) {
            errors.add(new FieldError("channel", "SMS or WHATSAPP (in-app and email carry the event's own text)"));
        }
        if (event == null || !event.matches("[A-Za-z][A-Za-z0-9_-]{0,63}")) {
            errors.add(new FieldError("event", "an event name"));
        }
        if (channel == Notifications.Channel.SMS && (template == null || !template.matches("[0-9]{19}"))) {
            errors.add(new FieldError("template", "the 19-digit DLT template id"));
        }
        if (channel == Notifications.Channel.WHATSAPP && (template == null || !template.matches("[a-z0-9_]{1,100}") || language == null)) {
            errors.add(new FieldError("template", "the approved template's name (lower case, digits, '_') and its language"));
        }
        if (variables == null || variables.size() > 10 || variables.stream().anyMatch(v -> v == null || !v.matches("[A-Za-z][A-Za-z0-9_]{0,39}"))) {
            errors.add(new FieldError("variables", "up to 10 variable names"));
        }
        if (text == null || text.isBlank() || text.length() > 1000) {
            errors.add(new FieldError("text", "1 to 1000 characters"));
        } else if (channel == Notifications.Channel.SMS && variables != null && count(text, "{#var#}") != variables.size()) {
            errors.add(new FieldError("text", "one {#var#} per variable, as registered with DLT"));
        }
        if (!errors.isEmpty()) {
            throw Problems.badRequest("the template has errors", errors);
        }
        try {
            em.createNativeQuery("""
                            insert into notification_template (event, channel, template, language, variables, text, updated_at)
                            values (?1, ?2, ?3, ?4, cast(?5 as jsonb), ?6, ?7)
                            on conflict (event, channel) do update set template = excluded.template, language = excluded.language,
                                variables = excluded.variables, text = excluded.text, updated_at = excluded.updated_at""")
                    .setParameter(1, event).setParameter(2, channel.name()).setParameter(3, template).setParameter(4, language)
                    .setParameter(5, Json.mapper().writeValueAsString(variables)).setParameter(6, text)
                    .setParameter(7, Timestamp.from(clock.instant())).executeUpdate();
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
        audit.record(admin, "NOTIFICATION_TEMPLATE_SET", "NOTIFICATION_TEMPLATE", event + ":" + channel, Map.of("template", template));
        return find(event, channel);
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int at = text.indexOf(what); at >= 0; at = text.indexOf(what, at + what.length())) {
            n++;
        }
        return n;
    }

    private static final String SELECT = "select event, channel, template, language, cast(variables as text), text from notification_template";

    private static Template template(Object[] r) {
        try {
            List<String> vars = Json.mapper().readValue((String) r[4], new TypeReference<List<String>>() {
            });
            return new Template((String) r[0], Notifications.Channel.valueOf((String) r[1]), (String) r[2], (String) r[3], vars, (String) r[5]);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
