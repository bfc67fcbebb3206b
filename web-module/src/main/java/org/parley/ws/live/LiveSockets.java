package org.parley.ws.live;

import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import org.parley.live.LiveEvents;
import org.parley.ws.SocketRegistry;

/**
 * The {@code /ws/live} sockets of this node. Sockets that asked for the online experts are the watchers: they hear
 * expert-online / expert-offline.
 */
@ApplicationScoped
public class LiveSockets extends SocketRegistry {

    @Resource
    private ManagedExecutorService executor;

    @Override
    protected String hub() {
        return LiveEvents.LIVE;
    }

    /** Where socket frames are worked on, off the I/O threads. */
    public ManagedExecutorService executor() {
        return executor;
    }
}
