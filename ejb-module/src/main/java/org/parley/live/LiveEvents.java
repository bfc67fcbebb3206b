package org.parley.live;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.inject.Inject;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSProducer;
import jakarta.jms.Topic;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Frames for connected clients, published only after the transaction that caused them commits (clients see only
 * committed state). The WebSocket layer registers a sink; on a rollback the frames are dropped. With
 * {@code parley.live.cluster-fanout} on, the frames of each commit also go, as one non-persistent message, to the JMS
 * topic {@code java:global/jms/parley/LiveEvents}; every other node's {@link LiveEventsRelay} hands them to its own
 * sockets, so a user gets their events whichever node holds their socket.
 */
@ApplicationScoped
public class LiveEvents {

    private static final Logger LOG = Logger.getLogger(LiveEvents.class.getName());
    private static final Object KEY = new Object();

    @Resource
    private TransactionSynchronizationRegistry tsr;
    @Resource(lookup = "java:/JmsXA")
    private ConnectionFactory jms;
    @Resource(lookup = "java:global/jms/parley/LiveEvents")
    private Topic topic;
    @Inject
    @ConfigProperty(name = "parley.live.cluster-fanout", defaultValue = "false")
    private boolean fanout;
    @Inject
    private LiveNodes nodes;

    @Resource
    private ManagedExecutorService executor;
    private final SerialBatches<Delivery> outbound = new SerialBatches<>(1_000, this::send);

    private static final ObjectMapper WIRE = JsonMapper.builder().addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).build();
    private static final TypeReference<List<Map<String, Object>>> WIRE_TYPE = new TypeReference<>() {
    };

    private final List<Consumer<List<Delivery>>> sinks = new CopyOnWriteArrayList<>();

    /**
     * The WebSocket layer's delivery: the frames of one commit (or one forwarded message) at a time, in order. The
     * same frame object may be addressed to several accounts (a chat line to both participants).
     */
    public void register(Consumer<List<Delivery>> sink) {
        sinks.add(sink);
    }

    public void unregister(Consumer<List<Delivery>> sink) {
        sinks.remove(sink);
    }

    /** A frame carrying this key (true, or a close code) closes the sockets it reaches (1008, or that code) once they have been sent it, without the key. */
    public static final String CLOSE = "parleyClose";
    /** A frame carrying this key (an account id) is not sent to that account's own sockets; the key is not sent. */
    public static final String EXCEPT = "parleyExcept";

    /** A frame carrying this key (true) goes to every socket of its hub on the node that delivers it. */
    public static final String EVERY_SOCKET = "parleyEverySocket";

    /**
     * Tells every socket held by this node (both hubs) {@code error {code, detail}} and closes it with 1012 (service
     * restart: reconnect); not forwarded to the other nodes.
     */
    public void closeSocketsHere(String code, String detail) {
        Map<String, Object> frame = closingError(code, detail, 1012);
        frame.put(EVERY_SOCKET, true);
        deliverHere(List.of(new Delivery(null, frame, LIVE), new Delivery(null, frame, SUPPORT)));
    }

    /** {@code error {code, detail}} marked to close the sockets it reaches with {@code close} (true: 1008). */
    private static Map<String, Object> closingError(String code, String detail, Object close) {
        Map<String, Object> frame = new LinkedHashMap<>();
        frame.put("type", "error");
        frame.put("code", code);
        frame.put("detail", detail);
        frame.put(CLOSE, close);
        return frame;
    }

    /** Tells every socket of {@code accountId} (both hubs), on every node, {@code error {code, detail}} and closes it, after commit. */
    public void closeSockets(UUID accountId, String code, String detail) {
        Map<String, Object> frame = closingError(code, detail, true);
        publishAll(List.of(new Delivery(accountId, frame, LIVE), new Delivery(accountId, frame, SUPPORT)));
    }

    /** Sends {@code frame} to every connected socket, after commit. */
    public void publishToAll(Map<String, Object> frame) {
        publish(null, frame);
    }

    /** Sends {@code frame} to every socket of {@code accountId} (null: every socket) once the current transaction commits (or now, if none). */
    public void publish(UUID accountId, Map<String, Object> frame) {
        publishAll(List.of(new Delivery(accountId, frame)));
    }

    /** {@link #publish} to the sockets of another hub ({@value #SUPPORT}). */
    public void publish(String hub, UUID accountId, Map<String, Object> frame) {
        publishAll(List.of(new Delivery(accountId, frame, hub)));
    }

    /** {@link #publish} for several frames, handed on together (a frame addressed to several accounts is written once). */
    @SuppressWarnings("unchecked")
    public void publishAll(List<Delivery> frames) {
        if (frames.isEmpty()) {
            return;
        }
        if (tsr == null || tsr.getTransactionKey() == null) {
            deliver(frames);
            return;
        }
        List<Delivery> pending = (List<Delivery>) tsr.getResource(KEY);
        if (pending == null) {
            List<Delivery> list = new ArrayList<>();
            tsr.putResource(KEY, list);
            tsr.registerInterposedSynchronization(new Synchronization() {
                @Override
                public void beforeCompletion() {
                }

                @Override
                public void afterCompletion(int status) {
                    if (status == Status.STATUS_COMMITTED) {
                        deliver(list);
                    }
                }
            });
            pending = list;
        }
        pending.addAll(frames);
    }

    private void deliver(List<Delivery> frames) {
        deliverHere(frames);
        if (fanout) {
            forward(frames);
        }
    }

    /**
     * Queues a commit's frames for the other nodes (after the commit: a frame is a notice, history is in the database).
     * One forwarder at a time drains the queue in order, many commits per message, off the committing thread.
     */
    private void forward(List<Delivery> frames) {
        outbound.addAll(frames, executor);
    }

    /**
     * Characters per forwarded message: under Artemis's large-message threshold (100 KiB; a text body takes two bytes a
     * character). A larger message is streamed in chunks through files on both nodes, which made the cross-node path
     * cost several times the chat itself under load; a batch of commits goes as several messages instead, in order.
     */
    static final int MAX_MESSAGE_CHARS = 40_000;

    private void send(List<Delivery> frames) {
        try (JMSContext context = jms.createContext()) {
            JMSProducer producer = context.createProducer().setDeliveryMode(DeliveryMode.NON_PERSISTENT).setTimeToLive(30_000)
                    .setProperty(ORIGIN, nodes.id().toString());
            StringBuilder message = new StringBuilder(MAX_MESSAGE_CHARS + 1_024).append('[');
            for (Delivery p : frames) {
                Map<String, Object> item = new LinkedHashMap<>();
                item.put("accountId", p.accountId() == null ? null : p.accountId().toString());
                item.put("frame", p.frame());
                item.put("hub", p.hub());
                String json = WIRE.writeValueAsString(item);
                if (message.length() > 1 && message.length() + json.length() + 2 > MAX_MESSAGE_CHARS) {
                    producer.send(topic, message.append(']').toString());
                    message.setLength(0);
                    message.append('[');
                }
                if (message.length() > 1) {
                    message.append(',');
                }
                message.append(json);
            }
            if (message.length() > 1) {
                producer.send(topic, message.append(']').toString());
            }
        } catch (JsonProcessingException | RuntimeException e) {
            LOG.log(Level.WARNING, "live events could not be forwarded to the other nodes", e);
        }
    }

    /** The message property naming the node a forwarded message came from. */
    public static final String ORIGIN = "parleyOrigin";

    /** Frames another node forwarded: handed to this node's sockets (a node ignores its own). */
    public void deliverForwarded(String origin, String body) {
        if (nodes.id().toString().equals(origin)) {
            return;
        }
        List<Delivery> frames = new ArrayList<>();
        try {
            for (Map<String, Object> item : WIRE.readValue(body, WIRE_TYPE)) {
                Object account = item.get("accountId");
                @SuppressWarnings("unchecked")
                Map<String, Object> frame = (Map<String, Object>) item.get("frame");
                Object hub = item.get("hub");
                frames.add(new Delivery(account == null ? null : UUID.fromString(account.toString()), frame, hub == null ? LIVE : hub.toString()));
            }
        } catch (JsonProcessingException | RuntimeException e) {
            LOG.log(Level.WARNING, "a forwarded live event could not be read", e);
            return;
        }
        deliverHere(frames);
    }

    /**
     * With fan-out on, a session's chat lines reach this node's sockets in number order whichever node stored them (a
     * line ahead of a gap waits up to a second for the one before it to cross the topic): {@link LineOrder}.
     */
    private final LineOrder lineOrder = new LineOrder(1_000, 3_600_000);

    private void deliverHere(List<Delivery> frames) {
        if (!fanout) {
            hand(frames);
            return;
        }
        synchronized (lineOrder) {
            hand(lineOrder.accept(frames, System.currentTimeMillis()));
        }
    }

    /** Lines held for a gap that has lasted its wait, handed on anyway (the housekeeping calls this once a second). */
    public void releaseHeldLines() {
        if (fanout) {
            synchronized (lineOrder) {
                hand(lineOrder.expire(System.currentTimeMillis()));
            }
        }
    }

    private void hand(List<Delivery> frames) {
        if (frames.isEmpty()) {
            return;
        }
        for (Consumer<List<Delivery>> sink : sinks) {
            try {
                sink.accept(frames);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "live events could not be delivered", e);
            }
        }
    }

    /**
     * A frame for every socket of {@code accountId} (null: every socket that listens to everyone) connected to
     * {@code hub}: {@value #LIVE} ({@code /ws/live}) or {@value #SUPPORT} ({@code /ws/support}).
     */
    public record Delivery(UUID accountId, Map<String, Object> frame, String hub) {
        public Delivery(UUID accountId, Map<String, Object> frame) {
            this(accountId, frame, LIVE);
        }
    }

    public static final String LIVE = "live";
    public static final String SUPPORT = "support";
}
