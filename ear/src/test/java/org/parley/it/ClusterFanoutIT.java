package org.parley.it;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.annotation.Resource;
import jakarta.inject.Inject;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.parley.it.support.Accounts;
import org.parley.it.support.Api;
import org.parley.it.support.InContainer;
import org.parley.it.support.Live;
import org.parley.it.support.LiveClient;
import org.parley.it.support.Money;
import org.parley.live.LiveEvents;
import org.parley.live.LiveNodes;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Socket frames across nodes, through the real JMS topic of the server (the suite runs with parley.live.cluster-fanout
 * on). Runs inside the server so it can play the other node: it publishes on the topic as a node that does not exist
 * here, and listens on it for what this node forwards.
 */
@ExtendWith(ArquillianExtension.class)
class ClusterFanoutIT {

    @Deployment
    static EnterpriseArchive deployment() {
        return InContainer.earWith(ClusterFanoutIT.class, Accounts.class, Accounts.Person.class, Api.class, Api.Resp.class, LiveClient.class,
                Live.class, Money.class);
    }

    @Resource(lookup = "java:/ConnectionFactory")
    private ConnectionFactory jms;
    @Resource(lookup = "java:global/jms/parley/LiveEvents")
    private Topic topic;
    @Inject
    private LiveEvents events;
    @Inject
    private LiveNodes nodes;

    @Test
    void aFrameAnotherNodeForwardsReachesTheSocketsHeldHereOnce() throws Exception {
        Accounts.Person user = Accounts.user(new Api());
        String marker = UUID.randomUUID().toString();
        try (LiveClient socket = LiveClient.connect(user.token()); JMSContext context = jms.createContext()) {
            socket.send(Map.of("type", "ping"));
            socket.await("pong");
            context.createProducer().setDeliveryMode(DeliveryMode.NON_PERSISTENT).setProperty(LiveEvents.ORIGIN, "node-b-" + marker)
                    .send(topic, "[{\"accountId\":\"" + user.id() + "\",\"frame\":{\"type\":\"new-message\",\"body\":\"" + marker + "\"}}]");
            JsonNode frame = socket.await("new-message", f -> marker.equals(f.path("body").asText()), Duration.ofSeconds(10));
            assertEquals(marker, frame.get("body").asText());
            assertEquals(0, socket.all("new-message", Duration.ofSeconds(1)).stream().filter(f -> marker.equals(f.path("body").asText())).count(),
                    "no second copy");
        }
    }

    @Test
    void framesCommittedHereAreForwardedToTheOtherNodesNamedByThisNodeAndNotDeliveredTwiceHere() throws Exception {
        Accounts.Person user = Accounts.user(new Api());
        String marker = UUID.randomUUID().toString();
        try (LiveClient socket = LiveClient.connect(user.token()); JMSContext context = jms.createContext();
             JMSConsumer otherNode = context.createConsumer(topic)) {
            socket.send(Map.of("type", "ping"));
            socket.await("pong");
            events.publish(UUID.fromString(user.id()), Map.of("type", "billing-update", "sessionId", marker));

            Message forwarded = null;
            for (long deadline = System.nanoTime() + 10_000_000_000L; System.nanoTime() < deadline; ) {
                Message m = otherNode.receive(1_000);
                if (m instanceof TextMessage t && t.getText().contains(marker)) {
                    forwarded = m;
                    break;
                }
            }
            assertNotNull(forwarded, "the frame went out on the topic");
            assertEquals(nodes.id().toString(), forwarded.getStringProperty(LiveEvents.ORIGIN));
            assertTrue(assertInstanceOf(TextMessage.class, forwarded).getText().contains(user.id()));
            socket.await("billing-update", f -> marker.equals(f.path("sessionId").asText()), Duration.ofSeconds(10));
            assertEquals(0, socket.all("billing-update", Duration.ofSeconds(2)).stream().filter(f -> marker.equals(f.path("sessionId").asText())).count(),
                    "this node's own forwarded copy is not delivered a second time");
        }
    }

    @Test
    void signallingForAParticipantWhoseSocketIsOnAnotherNodeGoesOutOnTheTopic() throws Exception {
        Api api = new Api();
        String admin = Accounts.admin(api);
        Accounts.Person expert = Live.onlineExpert(api, admin, 100);
        Accounts.Person user = Accounts.user(api);
        Money.fund(api, admin, user.id(), "WALLET", 100_000);
        String sdp = "v=0 " + UUID.randomUUID();
        try (LiveClient u = LiveClient.connect(user.token()); JMSContext context = jms.createContext();
             JMSConsumer otherNode = context.createConsumer(topic)) {
            u.send(Map.of("type", "request-session", "expertId", expert.id(), "channel", "VOICE"));
            String sessionId = u.await("session-started").get("sessionId").asText();
            u.send(Map.of("type", "call-offer", "sessionId", sessionId, "sdp", sdp, "callType", "audio"));

            String forwarded = null;
            for (long deadline = System.nanoTime() + 10_000_000_000L; System.nanoTime() < deadline && forwarded == null; ) {
                if (otherNode.receive(1_000) instanceof TextMessage t && t.getText().contains(sdp)) {
                    forwarded = t.getText();
                }
            }
            assertNotNull(forwarded, "the expert holds no socket here, so the offer must go to the node that holds it");
            assertTrue(forwarded.contains("\"accountId\":\"" + expert.id() + "\""), forwarded);
            assertTrue(forwarded.contains("\"fromId\":\"" + user.id() + "\""), forwarded);
            assertTrue(u.all("call-offer", Duration.ofMillis(500)).isEmpty(), "the sender does not get its own offer back");
        }
    }
}
