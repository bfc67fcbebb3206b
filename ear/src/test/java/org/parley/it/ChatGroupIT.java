package org.parley.it;

import jakarta.annotation.Resource;
import jakarta.inject.Inject;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.parley.common.DomainException;
import org.parley.it.support.Accounts;
import org.parley.it.support.Api;
import org.parley.it.support.Eventually;
import org.parley.it.support.InContainer;
import org.parley.it.support.Live;
import org.parley.it.support.Money;
import org.parley.live.ChatService;
import org.parley.live.ChatService.Line;
import org.parley.live.ChatService.Message;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/**
 * Groups of chat lines as the socket layer hands them to {@link ChatService#postAll}, mixing good lines with lines
 * that must not be stored: a stranger's line or a resend found on the way must not leave a hole in the session's
 * numbers, and a line or group that loses a race for a number to another node is numbered again.
 */
@ExtendWith(ArquillianExtension.class)
class ChatGroupIT {

    @Deployment
    static EnterpriseArchive deployment() {
        return InContainer.earWith(ChatGroupIT.class, Eventually.class, Accounts.class, Accounts.Person.class, Api.class, Api.Resp.class, Live.class,
                Money.class);
    }

    @Inject
    private ChatService chat;
    @Resource(lookup = "java:jboss/datasources/ParleyDS")
    private DataSource dataSource;

    /** The session's stored numbers, in order, and who sent each: "1:sender,2:sender". */
    private String stored(UUID session) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(
                "select coalesce(string_agg(seq || ':' || sender_id, ',' order by seq), '') from chat_message where session_id = ?")) {
            q.setObject(1, session);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    private record Chat(UUID session, UUID user, UUID expert, String userToken) {
    }

    private static Chat startChat() {
        Api api = new Api();
        String admin = Accounts.admin(api);
        Accounts.Person expert = Live.onlineExpert(api, admin, 100);
        Accounts.Person user = Accounts.user(api);
        Money.fund(api, admin, user.id(), "WALLET", 100_000);
        Api.Resp started = Live.start(api, user, expert, "CHAT");
        assertEquals(201, started.status(), started::toString);
        return new Chat(UUID.fromString(started.json().get("id").asText()), UUID.fromString(user.id()), UUID.fromString(expert.id()),
                user.token());
    }

    @Test
    void aGroupWithAStrangersLineAndAResendNumbersItsGoodLinesWithoutAHole() throws SQLException {
        Chat a = startChat();
        Chat b = startChat();
        Message first = (Message) chat.postAll(List.of(new Line(a.user(), a.session(), "first", "k1"))).get(0);
        assertEquals(1, first.seq());

        List<Object> outcomes = chat.postAll(List.of(
                new Line(a.expert(), a.session(), "second", "k2"),
                new Line(b.user(), a.session(), "not my session", "s1"),
                new Line(a.user(), a.session(), "first again", "k1"),
                new Line(b.user(), b.session(), "other session", "b1"),
                new Line(a.user(), a.session(), "third", "k3"),
                new Line(a.user(), a.session(), "third twice in one group", "k3")));

        assertEquals(2, ((Message) outcomes.get(0)).seq());
        assertEquals(404, assertInstanceOf(DomainException.class, outcomes.get(1)).status(), "a stranger's line is refused");
        Message resent = (Message) outcomes.get(2);
        assertEquals(1, resent.seq(), "a resent clientMsgId answers the stored line");
        assertEquals("first", resent.body());
        assertEquals(1, ((Message) outcomes.get(3)).seq(), "the other session numbers on its own");
        assertEquals(3, ((Message) outcomes.get(4)).seq());
        assertEquals(outcomes.get(4), outcomes.get(5), "the same line twice in a group is stored once");

        assertEquals(4, ((Message) chat.postAll(List.of(new Line(a.expert(), a.session(), "fourth", null))).get(0)).seq(),
                "no number was spent on the refused or resent lines");
        assertEquals("1:" + a.user() + ",2:" + a.expert() + ",3:" + a.user() + ",4:" + a.expert(), stored(a.session()),
                "numbers without a hole, and nothing from the stranger");
    }

    @Test
    void aLoneLineThatLosesTheRaceForItsNumberToAnotherNodeIsNumberedAgain() throws Exception {
        Chat a = startChat();
        raceAnotherNode(a, () -> chat.postAll(List.of(new Line(a.expert(), a.session(), "racing", "n3"))));
    }

    @Test
    void aGroupThatLosesTheRaceForANumberToAnotherNodeIsNumberedAgainWhole() throws Exception {
        Chat a = startChat();
        Chat b = startChat();
        List<Object> outcomes = raceAnotherNode(a, () -> chat.postAll(List.of(
                new Line(b.user(), b.session(), "the other session", "b1"), new Line(a.expert(), a.session(), "racing", "n3"))));
        assertEquals(1, ((Message) outcomes.get(0)).seq());
        assertEquals("1:" + b.user(), stored(b.session()), "the other session's line is stored once");
    }

    /**
     * Another node has taken number 2 of {@code a}'s session and not committed yet while {@code post} stores a line
     * there: the line waits for it, finds the number taken, and is numbered 3.
     */
    private List<Object> raceAnotherNode(Chat a, Callable<List<Object>> post) throws Exception {
        assertEquals(1, ((Message) chat.postAll(List.of(new Line(a.user(), a.session(), "first", "n1"))).get(0)).seq());
        ExecutorService other = Executors.newSingleThreadExecutor();
        List<Object> outcomes;
        try (Connection otherNode = dataSource.getConnection()) {
            otherNode.setAutoCommit(false);
            try (PreparedStatement q = otherNode.prepareStatement("insert into chat_message (session_id, seq, sender_id, body, client_msg_id, sent_at)"
                    + " values (?, 2, ?, 'from the other node', 'n2', now())")) {
                q.setObject(1, a.session());
                q.setObject(2, a.user());
                q.executeUpdate();
            }
            Future<List<Object>> racing = other.submit(post);
            Eventually.until(Duration.ofSeconds(10), () -> backendsWaitingForALock("and (query like '%insert into chat_message%' or query like '%chat_post%')"), waiting -> waiting > 0,
                    "this node's line waits for the other node's number 2");
            otherNode.commit();
            outcomes = racing.get(10, TimeUnit.SECONDS);
        } finally {
            other.shutdownNow();
        }
        Message racer = (Message) outcomes.get(outcomes.size() - 1);
        assertEquals(3, racer.seq(), "number 2 was taken: the line is numbered again");
        assertEquals("1:" + a.user() + ",2:" + a.user() + ",3:" + a.expert(), stored(a.session()));
        return outcomes;
    }

    @Test
    void aLinePostedWhileItsSessionIsEndingWaitsForTheEndAndIsRefused() throws Exception {
        Chat a = startChat();
        ExecutorService others = Executors.newFixedThreadPool(2);
        try (Connection holder = dataSource.getConnection()) {
            // something else (a billing charge) holds the session's row: the end queues for it, then the line
            holder.setAutoCommit(false);
            try (PreparedStatement q = holder.prepareStatement("select 1 from live_session where id = ? for update")) {
                q.setObject(1, a.session());
                q.executeQuery();
            }
            Future<Integer> end = others.submit(() -> new Api().post("/sessions/" + a.session() + "/end", a.userToken(), null).status());
            Eventually.until(Duration.ofSeconds(10), () -> backendsWaitingForALock(""), waiting -> waiting >= 1, "the end waits for the row");
            Future<List<Object>> line = others.submit(() -> chat.postAll(List.of(new Line(a.user(), a.session(), "as it ends", "x1"))));
            Eventually.until(Duration.ofSeconds(10), () -> backendsWaitingForALock(""), waiting -> waiting >= 2, "the line waits behind the end");
            holder.commit();
            assertEquals(200, end.get(10, TimeUnit.SECONDS));
            assertEquals(409, assertInstanceOf(DomainException.class, line.get(10, TimeUnit.SECONDS).get(0)).status(),
                    "the line, re-checked after the end, is refused");
        } finally {
            others.shutdownNow();
        }
        assertEquals("", stored(a.session()), "nothing stored after the end");
    }

    /** Backends waiting for a lock, those whose query also matches {@code andQuery} (an SQL condition, or ""). */
    private long backendsWaitingForALock(String andQuery) {
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(
                "select count(*) from pg_stat_activity where wait_event_type = 'Lock' " + andQuery)) {
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void afterTheEndANewLineIsRefusedButAResendStillAnswersTheStoredLine() throws SQLException {
        Chat a = startChat();
        chat.postAll(List.of(new Line(a.user(), a.session(), "before the end", "e1")));
        assertEquals(200, new Api().post("/sessions/" + a.session() + "/end", a.userToken(), null).status());

        List<Object> outcomes = chat.postAll(List.of(
                new Line(a.user(), a.session(), "before the end", "e1"),
                new Line(a.user(), a.session(), "too late", "e2"),
                new Line(UUID.randomUUID(), a.session(), "who?", "e3"),
                new Line(a.user(), UUID.randomUUID(), "no such session", "e4")));

        assertEquals(1, ((Message) outcomes.get(0)).seq());
        assertEquals(409, assertInstanceOf(DomainException.class, outcomes.get(1)).status());
        assertEquals(404, assertInstanceOf(DomainException.class, outcomes.get(2)).status(), "a stranger is not told the session ended");
        assertEquals(404, assertInstanceOf(DomainException.class, outcomes.get(3)).status());
        assertEquals("1:" + a.user(), stored(a.session()));
    }
}
