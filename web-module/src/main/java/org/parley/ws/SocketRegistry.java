package org.parley.ws;

import com.fasterxml.jackson.core.JsonProcessingException;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import org.parley.api.JacksonConfig;
import org.parley.live.LiveEvents;

import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * The connected sockets of one hub ({@code /ws/live} or {@code /ws/support}) on this node, by account (a person may
 * hold several: phone and laptop), and those that listen to everyone. Frames from the domain (after commit, through
 * {@link LiveEvents}, from this node or forwarded from another) go to every socket of their account; sends are
 * asynchronous. A frame carrying {@link LiveEvents#CLOSE} closes the sockets it reaches once they have read it.
 */
public abstract class SocketRegistry {

    private static final Logger LOG = Logger.getLogger(SocketRegistry.class.getName());

    @Inject
    private LiveEvents events;
    private final Consumer<List<LiveEvents.Delivery>> sink = this::deliver;

    private final Map<UUID, Set<Session>> byAccount = new ConcurrentHashMap<>();
    /** Sockets that listen to everyone of this hub, with their account. */
    private final Map<Session, UUID> watchers = new ConcurrentHashMap<>();

    /** Created eagerly (an application-scoped subclass), so that frames have somewhere to go before the first socket. */
    protected void start(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        // nothing more: being created registers the sink
    }

    @PostConstruct
    protected void register() {
        events.register(sink);
    }

    @PreDestroy
    protected void unregister() {
        events.unregister(sink);
    }

    /** The hub whose deliveries this registry takes ({@link LiveEvents#LIVE} or {@link LiveEvents#SUPPORT}). */
    protected abstract String hub();

    public void add(UUID accountId, Session session) {
        byAccount.computeIfAbsent(accountId, k -> ConcurrentHashMap.newKeySet()).add(session);
    }

    /** From now on {@code session} hears the frames addressed to everyone of this hub. */
    public void watch(UUID accountId, Session session) {
        watchers.put(session, accountId);
    }

    /** Removes a socket; true if the account has no socket left on this node. */
    public boolean remove(UUID accountId, Session session) {
        watchers.remove(session);
        Set<Session> sessions = byAccount.get(accountId);
        if (sessions == null) {
            return true;
        }
        sessions.remove(session);
        if (sessions.isEmpty()) {
            byAccount.remove(accountId, sessions);
            return true;
        }
        return false;
    }

    public boolean isConnected(UUID accountId) {
        Set<Session> sessions = byAccount.get(accountId);
        return sessions != null && !sessions.isEmpty();
    }

    /** A commit's frames, in order; a frame addressed to several accounts is written as JSON once. */
    protected void deliver(List<LiveEvents.Delivery> deliveries) {
        Map<Map<String, Object>, String> texts = new IdentityHashMap<>();
        for (LiveEvents.Delivery d : deliveries) {
            if (!hub().equals(d.hub())) {
                continue;
            }
            Collection<Session> to = Boolean.TRUE.equals(d.frame().get(LiveEvents.EVERY_SOCKET)) ? everySocket()
                    : d.accountId() == null ? watchers.keySet() : byAccount.getOrDefault(d.accountId(), Set.of());
            if (to.isEmpty()) {
                continue;
            }
            Object except = d.frame().get(LiveEvents.EXCEPT);
            if (except != null) {
                sendExcept(to, d.frame(), except.toString());
                continue;
            }
            Object close = d.frame().get(LiveEvents.CLOSE);
            if (close != null && !Boolean.FALSE.equals(close)) {
                closeAll(List.copyOf(to), d.frame(), close instanceof Integer code ? code : CloseReason.CloseCodes.VIOLATED_POLICY.getCode());
                continue;
            }
            String text = texts.computeIfAbsent(d.frame(), SocketRegistry::json);
            for (Session s : to) {
                if (s.isOpen()) {
                    s.getAsyncRemote().sendText(text);
                }
            }
        }
    }

    /** Sends the frame (without its marker) to the sockets that are not {@code except}'s. */
    private void sendExcept(Collection<Session> to, Map<String, Object> frame, String except) {
        Map<String, Object> shown = new LinkedHashMap<>(frame);
        shown.remove(LiveEvents.EXCEPT);
        String text = json(shown);
        UUID account = UUID.fromString(except);
        Set<Session> own = byAccount.getOrDefault(account, Set.of());
        for (Session s : to) {
            if (s.isOpen() && !account.equals(watchers.get(s)) && !own.contains(s)) {
                s.getAsyncRemote().sendText(text);
            }
        }
    }

    private Collection<Session> everySocket() {
        List<Session> all = new java.util.ArrayList<>();
        byAccount.values().forEach(all::addAll);
        return all;
    }

    /** Sends each socket the frame (without the markers), then closes it with {@code code} (1008: a policy violation). */
    private static void closeAll(List<Session> sessions, Map<String, Object> frame, int code) {
        Map<String, Object> shown = new LinkedHashMap<>(frame);
        shown.remove(LiveEvents.CLOSE);
        shown.remove(LiveEvents.EVERY_SOCKET);
        String text = json(shown);
        for (Session s : sessions) {
            if (!s.isOpen()) {
                continue;
            }
            s.getAsyncRemote().sendText(text, sent -> {
                try {
                    s.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(code), String.valueOf(shown.get("code"))));
                } catch (java.io.IOException e) {
                    LOG.fine(() -> "closing a socket failed: " + e);
                }
            });
        }
    }

    public void sendTo(Session session, Map<String, Object> frame) {
        if (session.isOpen()) {
            session.getAsyncRemote().sendText(json(frame));
        }
    }

    private static String json(Map<String, Object> frame) {
        try {
            return JacksonConfig.MAPPER.writeValueAsString(frame);
        } catch (JsonProcessingException e) {
            LOG.warning("frame not serialisable: " + e.getMessage());
            return "{\"type\":\"error\",\"code\":\"server-error\"}";
        }
    }
}
