package org.parley.api.analytics;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.parley.analytics.Analytics;
import org.parley.common.DomainException.FieldError;
import org.parley.common.Problems;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

/** Operators' figures: real time, per business date, revenue by period. */
@Path("/admin")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("ADMIN")
public class AdminMetricsResource {

    @Inject
    private Analytics analytics;

    @GET
    @Path("/metrics/realtime")
    public Analytics.Realtime realtime() {
        return analytics.realtime();
    }

    /** {@code from}, {@code to}: business dates (YYYY-MM-DD), both included; default the last 30 days. */
    @GET
    @Path("/metrics/daily")
    public Map<String, List<Analytics.Day>> daily(@QueryParam("from") String from, @QueryParam("to") String to) {
        return Map.of("items", analytics.daily(date("from", from), date("to", to)));
    }

    @GET
    @Path("/revenue")
    public Map<String, List<Analytics.Bucket>> revenue(@QueryParam("granularity") String granularity, @QueryParam("from") String from,
                                                       @QueryParam("to") String to) {
        return Map.of("items", analytics.revenue(granularity == null ? "day" : granularity, date("from", from), date("to", to)));
    }

    private static LocalDate date(String name, String value) {
        try {
            return value == null || value.isBlank() ? null : LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw Problems.badRequest(name + " is a date YYYY-MM-DD", List.of(new FieldError(name, "a date YYYY-MM-DD")));
        }
    }
}
