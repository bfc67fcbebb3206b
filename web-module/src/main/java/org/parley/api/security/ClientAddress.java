package org.parley.api.security;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The client's address for rate limits. Behind a trusted reverse proxy ({@code PARLEY_TRUST_FORWARDED_FOR=true})
 * the first X-Forwarded-For entry; otherwise the socket's peer, which a client cannot forge. Likewise whether the
 * client came over HTTPS (X-Forwarded-Proto, trusted only then).
 */
@ApplicationScoped
public class ClientAddress {

    @Inject
    @ConfigProperty(name = "parley.trust-forwarded-for", defaultValue = "false")
    private boolean trustForwardedFor;

    public String of(HttpServletRequest request) {
        if (trustForwardedFor) {
            String forwarded = request.getHeader("X-Forwarded-For");
            if (forwarded != null && !forwarded.isBlank()) {
                return forwarded.split(",")[0].trim();
            }
        }
        return request.getRemoteAddr();
    }

    /** Whether the client reached Parley over HTTPS: the request itself, or a trusted proxy's X-Forwarded-Proto. */
    public boolean isHttps(HttpServletRequest request) {
        return request.isSecure() || trustForwardedFor && "https".equalsIgnoreCase(request.getHeader("X-Forwarded-Proto"));
    }
}
