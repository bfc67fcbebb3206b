package org.parley.api.security;

import jakarta.inject.Inject;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * The security headers on every response Parley's web module gives, errors and WebSocket handshakes included, set
 * before anything can commit the response: no MIME sniffing, no referrer sent elsewhere, no framing, nothing cached
 * (every answer is someone's data), and Strict-Transport-Security when the client came over HTTPS. The API serves no
 * HTML of its own, so its responses carry a Content-Security-Policy that allows nothing to load or run; the console's
 * pages ({@code /console/}, and the webjars they load) one that allows only Parley's own scripts, styles and API.
 */
@WebFilter(urlPatterns = "/*", dispatcherTypes = {DispatcherType.REQUEST, DispatcherType.ERROR, DispatcherType.FORWARD})
public class SecurityHeaders extends HttpFilter {

    static final String API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
    /** The console's pages load their own scripts, styles and the API, and nothing from anywhere else. */
    static final String CONSOLE_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self';"
            + " frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    @Inject
    private ClientAddress client;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Referrer-Policy", "no-referrer");
        response.setHeader("X-Frame-Options", "DENY");
        String path = request.getRequestURI().substring(request.getContextPath().length());
        response.setHeader("Content-Security-Policy", path.startsWith("/console/") || path.startsWith("/webjars/") ? CONSOLE_CSP : API_CSP);
        response.setHeader("Cache-Control", "no-store");
        if (client.isHttps(request)) {
            response.setHeader("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
        }
        chain.doFilter(request, response);
    }
}
