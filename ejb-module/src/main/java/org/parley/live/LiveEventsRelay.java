package org.parley.live;

import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;
import jakarta.ejb.TransactionManagement;
import jakarta.ejb.TransactionManagementType;
import jakarta.inject.Inject;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import jakarta.jms.TextMessage;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * This node's subscription to the live-events topic: frames other nodes' commits caused reach the sockets held here.
 * A non-durable subscription: a node that is down misses frames, and its clients catch up from the database (chat
 * history, session state) when they reconnect.
 */
@MessageDriven(activationConfig = {
        @ActivationConfigProperty(propertyName = "destinationLookup", propertyValue = "java:global/jms/parley/LiveEvents"),
        @ActivationConfigProperty(propertyName = "destinationType", propertyValue = "jakarta.jms.Topic"),
        @ActivationConfigProperty(propertyName = "maxSession", propertyValue = "1")
})
// No transaction: a frame is a notice (the history is in the database), and an XA transaction per message was work for nothing.
@TransactionManagement(TransactionManagementType.BEAN)
public class LiveEventsRelay implements MessageListener {

    private static final Logger LOG = Logger.getLogger(LiveEventsRelay.class.getName());

    @Inject
    private LiveEvents events;

    @Override
    public void onMessage(Message message) {
        try {
            if (message instanceof TextMessage text) {
                events.deliverForwarded(message.getStringProperty(LiveEvents.ORIGIN), text.getText());
            }
        } catch (JMSException e) {
            LOG.log(Level.WARNING, "a forwarded live event could not be read", e);
        }
    }
}
