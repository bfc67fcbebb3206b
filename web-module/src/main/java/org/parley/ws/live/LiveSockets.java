package org.parley.ws.live;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.parley.live.LiveEvents;
import org.parley.ws.SocketRegistry;

import java.util.List;
import java.util.function.Consumer;

/**
 * The {@code /ws/live} sockets of this node. Sockets that asked for the online experts are the watchers: they hear
 * expert-online / expert-offline.
 */
@ApplicationScoped
public class LiveSockets extends SocketRegistry {

    @Inject
    private LiveEvents events;
    @Resource
    private ManagedExecutorService executor;
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

    @Override
    protected String hub() {
        return LiveEvents.LIVE;
    }

    /** Where socket frames are worked on, off the I/O threads. */
    public ManagedExecutorService executor() {
        return executor;
    }
}
