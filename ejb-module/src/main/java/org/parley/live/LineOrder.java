package org.parley.live;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Chat lines handed to this node's sockets in number order, per session, whichever node stored them. On one node a
 * session's lines are relayed in order already (groups are stored one at a time); with several nodes, a line stored
 * here may be ready before the line before it, stored on another node, has crossed the topic. A {@code new-message}
 * frame ahead of a gap is held until the missing line arrives, or for at most {@code holdMillis} (a line whose
 * forwarded frame was lost, with a node that died: clients find it in the history), then handed on anyway.
 *
 * <p>A session this node has not heard of starts at line 1: a line 2 stored here waits for line 1 crossing from the
 * other node. A node that joins a session late (restarted mid-session) so waits once, for lines it will never see,
 * then goes on from the first line it saw. A session's {@code session-ended} frame releases what is held and forgets
 * it; one not heard of for {@code forgetMillis} is forgotten too. Not thread-safe: {@link LiveEvents} calls it under its
 * delivery lock.
 */
final class LineOrder {

    private final long holdMillis;
    private final long forgetMillis;
    private final Map<UUID, Session> sessions = new java.util.HashMap<>();

    private static final class Session {
        int next;
        long seenAt;
        /** Frames ahead of a gap by number (each line is addressed to its two participants: several deliveries). */
        final TreeMap<Integer, List<LiveEvents.Delivery>> held = new TreeMap<>();
        long heldSince;
    }

    LineOrder(long holdMillis, long forgetMillis) {
        this.holdMillis = holdMillis;
        this.forgetMillis = forgetMillis;
    }

    /** The deliveries of {@code batch} to hand on now, in order, with any held lines they release; the rest are held. */
    List<LiveEvents.Delivery> accept(List<LiveEvents.Delivery> batch, long now) {
        List<LiveEvents.Delivery> out = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            LiveEvents.Delivery d = batch.get(i);
            Map<String, Object> frame = d.frame();
            if ("session-ended".equals(frame.get("type")) && frame.get("sessionId") != null) {
                Session ended = sessions.remove(sessionId(frame));
                if (ended != null) {
                    ended.held.values().forEach(out::addAll);
                }
                out.add(d);
                continue;
            }
            if (!"new-message".equals(frame.get("type")) || !(frame.get("seq") instanceof Integer seq) || frame.get("sessionId") == null) {
                out.add(d);
                continue;
            }
            Session s = sessions.computeIfAbsent(sessionId(frame), k -> {
                Session fresh = new Session();
                fresh.next = 1;
                return fresh;
            });
            s.seenAt = now;
            // the deliveries of one line (one per participant; one frame object, or two once forwarded) are adjacent
            List<LiveEvents.Delivery> line = new ArrayList<>(2);
            line.add(d);
            while (i + 1 < batch.size() && sameLine(batch.get(i + 1).frame(), frame)) {
                line.add(batch.get(++i));
            }
            if (seq > s.next) {
                if (s.held.isEmpty()) {
                    s.heldSince = now;
                }
                s.held.computeIfAbsent(seq, k -> new ArrayList<>(2)).addAll(line);
                continue;
            }
            out.addAll(line);
            if (seq == s.next) {
                s.next++;
                release(s, out);
            }
        }
        return out;
    }

    /** Held lines whose gap has lasted {@code holdMillis}, in order; and sessions silent for {@code forgetMillis} forgotten. */
    List<LiveEvents.Delivery> expire(long now) {
        List<LiveEvents.Delivery> out = new ArrayList<>();
        for (Iterator<Session> it = sessions.values().iterator(); it.hasNext(); ) {
            Session s = it.next();
            if (!s.held.isEmpty() && now - s.heldSince >= holdMillis) {
                s.next = s.held.firstKey();
                release(s, out);
                if (!s.held.isEmpty()) {
                    s.heldSince = now; // another gap further on: it gets its own wait
                }
            } else if (s.held.isEmpty() && now - s.seenAt >= forgetMillis) {
                it.remove();
            }
        }
        return out;
    }

    /** How many lines are held now (for tests and metrics). */
    int held() {
        return sessions.values().stream().mapToInt(s -> s.held.size()).sum();
    }

    private static UUID sessionId(Map<String, Object> frame) {
        Object id = frame.get("sessionId");
        return id instanceof UUID u ? u : UUID.fromString(id.toString());
    }

    private static boolean sameLine(Map<String, Object> a, Map<String, Object> b) {
        return a == b || "new-message".equals(a.get("type")) && java.util.Objects.equals(a.get("seq"), b.get("seq"))
                && String.valueOf(a.get("sessionId")).equals(String.valueOf(b.get("sessionId")));
    }

    private static void release(Session s, List<LiveEvents.Delivery> out) {
        while (!s.held.isEmpty() && s.held.firstKey() == s.next) {
            out.addAll(s.held.pollFirstEntry().getValue());
            s.next++;
        }
    }
}
