package org.parley.live;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LineOrderTest {

    private final UUID session = UUID.randomUUID();
    private final UUID user = UUID.randomUUID();
    private final UUID expert = UUID.randomUUID();

    /** A line as the storing node relays it: one frame addressed to both participants. */
    private List<LiveEvents.Delivery> line(int seq) {
        Map<String, Object> frame = new LinkedHashMap<>();
        frame.put("type", "new-message");
        frame.put("sessionId", session);
        frame.put("seq", seq);
        return List.of(new LiveEvents.Delivery(user, frame), new LiveEvents.Delivery(expert, frame));
    }

    /** The same line as it arrives from another node: the session id a string, a frame object per participant. */
    private List<LiveEvents.Delivery> forwarded(int seq) {
        List<LiveEvents.Delivery> out = new ArrayList<>();
        for (UUID to : List.of(user, expert)) {
            Map<String, Object> frame = new LinkedHashMap<>();
            frame.put("type", "new-message");
            frame.put("sessionId", session.toString());
            frame.put("seq", seq);
            out.add(new LiveEvents.Delivery(to, frame));
        }
        return out;
    }

    private static List<Integer> seqs(List<LiveEvents.Delivery> out) {
        return out.stream().map(d -> (Integer) d.frame().get("seq")).toList();
    }

    @Test
    void aLineAheadOfAGapWaitsForTheLineBeforeItAndBothGoInOrder() {
        LineOrder order = new LineOrder(1_000, 60_000);
        assertEquals(List.of(1, 1), seqs(order.accept(line(1), 0)));
        assertEquals(List.of(), seqs(order.accept(line(3), 10)), "3 waits: 2 is still crossing from the other node");
        assertEquals(1, order.held());
        assertEquals(List.of(2, 2, 3, 3), seqs(order.accept(forwarded(2), 20)), "2 arrives and releases 3");
        assertEquals(0, order.held());
    }

    @Test
    void aGapThatNeverFillsIsSkippedAfterTheWaitWithTheHeldLinesInOrder() {
        LineOrder order = new LineOrder(1_000, 60_000);
        order.accept(line(1), 0);
        order.accept(forwarded(4), 100);
        order.accept(line(3), 200);
        assertEquals(List.of(), seqs(order.expire(900)), "not yet");
        assertEquals(List.of(3, 3, 4, 4), seqs(order.expire(1_100)));
        assertEquals(List.of(5, 5), seqs(order.accept(line(5), 1_200)), "later lines flow again");
        assertEquals(List.of(2, 2), seqs(order.accept(forwarded(2), 1_300)), "a line later than its wait is still handed on");
    }

    @Test
    void otherFramesAndOtherSessionsAreNotHeldUp() {
        LineOrder order = new LineOrder(1_000, 60_000);
        order.accept(line(1), 0);
        order.accept(line(3), 10);
        Map<String, Object> billing = Map.of("type", "billing-update", "sessionId", session, "minutesBilled", 2);
        List<LiveEvents.Delivery> mixed = new ArrayList<>(List.of(new LiveEvents.Delivery(user, billing)));
        Map<String, Object> elsewhere = new LinkedHashMap<>(Map.of("type", "new-message", "sessionId", UUID.randomUUID(), "seq", 1));
        mixed.add(new LiveEvents.Delivery(user, elsewhere));
        assertEquals(2, order.accept(mixed, 20).size(), "the billing update and another session's first line go at once");
    }

    @Test
    void aLineTwoStoredHereWaitsForLineOneFromTheOtherNode() {
        LineOrder order = new LineOrder(1_000, 60_000);
        assertEquals(List.of(), seqs(order.accept(line(2), 0)), "a session starts at line 1");
        assertEquals(List.of(1, 1, 2, 2), seqs(order.accept(forwarded(1), 15)));
    }

    @Test
    void aNodeThatJoinsASessionLateWaitsOnceThenGoesOnFromTheFirstLineItSaw() {
        LineOrder order = new LineOrder(1_000, 60_000);
        assertEquals(List.of(), seqs(order.accept(forwarded(41), 0)));
        assertEquals(List.of(41, 41), seqs(order.expire(1_000)));
        assertEquals(List.of(42, 42), seqs(order.accept(line(42), 1_010)));
    }

    @Test
    void theEndOfASessionReleasesItsHeldLinesBeforeItAndForgetsIt() {
        LineOrder order = new LineOrder(1_000, 60_000);
        order.accept(line(1), 0);
        order.accept(line(3), 10);
        Map<String, Object> ended = Map.of("type", "session-ended", "sessionId", session, "reason", "user-ended");
        List<LiveEvents.Delivery> out = order.accept(List.of(new LiveEvents.Delivery(user, ended)), 20);
        assertEquals(3, out.get(0).frame().get("seq"));
        assertEquals(ended, out.get(out.size() - 1).frame());
        assertEquals(0, order.held());
        assertEquals(List.of(), seqs(order.accept(line(4), 30)), "forgotten: a new start waits for line 1 again");
    }
}
