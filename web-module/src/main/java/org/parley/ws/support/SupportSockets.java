package org.parley.ws.support;

import jakarta.enterprise.context.ApplicationScoped;
import org.parley.live.LiveEvents;
import org.parley.ws.SocketRegistry;

/** The {@code /ws/support} sockets of this node; admins' sockets are the watchers (they hear every ticket). */
@ApplicationScoped
public class SupportSockets extends SocketRegistry {

    @Override
    protected String hub() {
        return LiveEvents.SUPPORT;
    }
}
