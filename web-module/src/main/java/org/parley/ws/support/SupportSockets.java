package org.parley.ws.support;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.parley.live.LiveEvents;
import org.parley.ws.SocketRegistry;

import java.util.List;
import java.util.function.Consumer;

/** The {@code /ws/support} sockets of this node; admins' sockets are the watchers (they hear every ticket). */
@ApplicationScoped
public class SupportSockets extends SocketRegistry {

    @Inject
    private LiveEvents events;
    private final Consumer<List<LiveEvents.Delivery>> sink = this::deliver;

    void start(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        // created eagerly so that support frames have somewhere to go before the first socket connects
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
        return LiveEvents.SUPPORT;
    }
}
