package org.parley.api.error;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.parley.api.JacksonConfig;

import java.io.IOException;
import java.util.List;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The error page (web.xml) for what the container answers itself: unknown paths outside the API, a token the
 * JWT mechanism refused, an exception no mapper saw. Writes problem+json, never an HTML page or a stack trace.
 */
@WebServlet("/_error")
public class ErrorServlet extends HttpServlet {

    private static final Logger LOG = Logger.getLogger(ErrorServlet.class.getName());

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Object code = req.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = code instanceof Integer i ? i : HttpServletResponse.SC_NOT_FOUND;
        Object uri = req.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        String instance = uri == null ? req.getRequestURI() : uri.toString();
        Throwable error = (Throwable) req.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
        String detail = switch (status) {
            case 401 -> "a valid bearer token is required";
            case 403 -> "not allowed";
            case 404 -> "no such resource";
            case 405 -> "this method is not allowed here";
            case 413 -> "the request is too large";
            default -> status >= 500 ? "an unexpected error occurred" : "the request could not be served";
        };
        if (error != null || status >= 500) {
            String ref = UUID.randomUUID().toString();
            LOG.log(Level.SEVERE, "Unexpected error " + ref + " on " + instance, error);
            detail = detail + " (reference " + ref + ")";
        }
        resp.setStatus(status);
        resp.setContentType(Problem.MEDIA_TYPE);
        resp.setCharacterEncoding("UTF-8");
        if (status == 401) {
            resp.setHeader("WWW-Authenticate", "Bearer");
        }
        JacksonConfig.MAPPER.writeValue(resp.getOutputStream(), Problem.of(status, Problem.slugFor(status), detail, instance, List.of()));
    }
}
