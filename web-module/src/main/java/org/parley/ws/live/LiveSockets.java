package org.parley.ws.live;

import com.fasterxml.jackson.core.JsonProcessingException;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.concurrent.ManagedExecutorService;
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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * The connected sockets of this node, by account (a person may hold several: phone and laptop). Frames from the
 * domain (after commit, through {@link LiveEvents}) go to every socket of their account; sends are asynchronous.
 */
@ApplicationScoped
public class LiveSockets {

    private static final Logger LOG = Logger.getLogger(LiveSockets.class.getName());

    @Inject
    private LiveEvents events;
    @Resource
    private ManagedExecutorService executor;

    private final Map<UUID, Set<Session>> byAccount = new ConcurrentHashMap<>();
    /** Sockets that asked for the online experts: they hear expert-online / expert-offline from then on. */
    private final Set<Session> watchers = ConcurrentHashMap.newKeySet();
    private final Consumer<List<LiveEvents.Delivery>> sink = this::deliver;

    void start(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        // created eagerly so that domain frames have somewhere to go before the first socket connects
    }

    @PostConstruct
    void register() {
        events.register(sink);
    }

    @PreDestroy
    void unregister() {
        events.unregister(sink);
    }

    /** Where socket frames are worked on, off the I/O threads. */
    public ManagedExecutorService executor() {
        return executor;
    }

    public void add(UUID accountId, Session session) {
        byAccount.computeIfAbsent(accountId, k -> ConcurrentHashMap.newKeySet()).add(session);
    }

    /** From now on {@code session} hears the frames for everyone (presence changes). */
    public void watch(Session session) {
        watchers.add(session);
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
    private void deliver(List<LiveEvents.Delivery> deliveries) {
        Map<Map<String, Object>, String> texts = new IdentityHashMap<>();
        for (LiveEvents.Delivery d : deliveries) {
            Collection<Session> to = d.accountId() == null ? watchers : byAccount.getOrDefault(d.accountId(), Set.of());
            if (to.isEmpty()) {
                continue;
            }
            if (Boolean.TRUE.equals(d.frame().get(LiveEvents.CLOSE))) {
                closeAll(List.copyOf(to), d.frame());
                continue;
            }
            String text = texts.computeIfAbsent(d.frame(), LiveSockets::json);
            for (Session s : to) {
                if (s.isOpen()) {
                    s.getAsyncRemote().sendText(text);
                }
            }
        }
    }

    /** Sends each socket the frame (without the close marker), then closes it as a policy violation (1008). */
    private void closeAll(List<Session> sessions, Map<String, Object> frame) {
        Map<String, Object> shown = new java.util.LinkedHashMap<>(frame);
        shown.remove(LiveEvents.CLOSE);
        String text = json(shown);
        for (Session s : sessions) {
            if (!s.isOpen()) {
                continue;
            }
            s.getAsyncRemote().sendText(text, sent -> {
                try {
                    s.close(new CloseReason(CloseReason.CloseCodes.VIOLATED_POLICY, String.valueOf(shown.get("code"))));
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
