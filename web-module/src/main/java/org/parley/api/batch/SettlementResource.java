package org.parley.api.batch;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.parley.api.security.CurrentCaller;
import org.parley.common.BusinessCalendar;
import org.parley.common.DomainException.FieldError;
import org.parley.common.Problems;
import org.parley.settlement.SettlementService;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

/** Settlement statements of a business day: an expert's own, or everyone's for an admin. */
@Path("/settlements")
@RolesAllowed({"EXPERT", "ADMIN"})
@Produces(MediaType.APPLICATION_JSON)
public class SettlementResource {

    @Inject
    private SettlementService settlement;
    @Inject
    private BusinessCalendar calendar;
    @Inject
    private CurrentCaller caller;

    @GET
    public Map<String, List<SettlementService.Statement>> statements(@QueryParam("date") String date) {
        LocalDate day;
        try {
            day = date == null || date.isBlank() ? calendar.yesterday() : LocalDate.parse(date);
        } catch (DateTimeParseException e) {
            throw Problems.badRequest("date must be YYYY-MM-DD", List.of(new FieldError("date", "must be a date YYYY-MM-DD")));
        }
        return Map.of("items", settlement.statements(caller.get(), day));
    }
}
