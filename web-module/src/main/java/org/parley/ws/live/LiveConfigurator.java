package org.parley.ws.live;

import jakarta.websocket.server.ServerEndpointConfig;
import org.eclipse.microprofile.config.ConfigProvider;

import java.net.URI;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The handshake of {@code /ws/live} and {@code /ws/support}: a present Origin must be one of {@code PARLEY_ALLOWED_ORIGINS}
 * or the origin of {@code PARLEY_PUBLIC_URL}, where Parley itself serves the operator console (clients that send none are
 * not browsers and are let through); a token sent as the Sec-WebSocket-Protocol value is accepted as the
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
        var config = ConfigProvider.getConfig();
        String configured = config.getOptionalValue("parley.allowed-origins", String.class).orElse(DEFAULT_ORIGINS);
        Set<String> origins = Arrays.stream(configured.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .collect(Collectors.toCollection(HashSet::new));
        config.getOptionalValue("parley.public-url", String.class).flatMap(LiveConfigurator::originOf).ifPresent(origins::add);
        return origins;
    }

    /** {@code scheme://host[:port]} of a URL, as a browser sends it in Origin (the scheme's default port left out). */
    static Optional<String> originOf(String url) {
        try {
            URI u = URI.create(url.trim());
            if (u.getScheme() == null || u.getHost() == null) {
                return Optional.empty();
            }
            String scheme = u.getScheme().toLowerCase(Locale.ROOT);
            int port = u.getPort();
            boolean defaultPort = port < 0 || (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
            return Optional.of(scheme + "://" + u.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
