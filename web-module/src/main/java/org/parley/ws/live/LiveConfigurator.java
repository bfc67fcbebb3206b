package org.parley.ws.live;

import jakarta.websocket.server.ServerEndpointConfig;
import org.eclipse.microprofile.config.ConfigProvider;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The handshake of {@code /ws/live}: a present Origin must be one of {@code PARLEY_ALLOWED_ORIGINS} (clients that send
 * none are not browsers and are let through); a token sent as the Sec-WebSocket-Protocol value is accepted as the
 * negotiated subprotocol, so browsers (which cannot set headers) can authenticate without putting it in the URL.
 */
public class LiveConfigurator extends ServerEndpointConfig.Configurator {

    static final String DEFAULT_ORIGINS = "http://localhost:8080,http://127.0.0.1:8080";

    @Override
    public boolean checkOrigin(String origin) {
        if (origin == null || origin.isBlank()) {
            return true;
        }
        return allowedOrigins().contains(origin.trim());
    }

    @Override
    public String getNegotiatedSubprotocol(List<String> supported, List<String> requested) {
        return requested == null || requested.isEmpty() ? "" : requested.get(0);
    }

    static Set<String> allowedOrigins() {
        String configured = ConfigProvider.getConfig().getOptionalValue("parley.allowed-origins", String.class).orElse(DEFAULT_ORIGINS);
        return Arrays.stream(configured.split(",")).map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
    }
}
