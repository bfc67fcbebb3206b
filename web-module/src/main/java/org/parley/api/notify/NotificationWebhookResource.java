package org.parley.api.notify;

import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.parley.common.DomainException;
import org.parley.common.Problems;
import org.parley.notify.DeliveryReports;
import org.parley.notify.WhatsAppClient;

import java.util.Map;

/** The providers' delivery reports: WhatsApp's signed with the app secret (and its subscription handshake), MSG91's by URL token. */
@Path("/notifications/webhooks")
public class NotificationWebhookResource {

    @Inject
    private DeliveryReports reports;
    @Inject
    private WhatsAppClient whatsApp;

    /** Meta's subscription check: echo {@code hub.challenge} when the verify token is ours; 403 otherwise. */
    @GET
    @Path("/whatsapp")
    @PermitAll
    @Produces(MediaType.TEXT_PLAIN)
    public String verify(@QueryParam("hub.mode") String mode, @QueryParam("hub.verify_token") String token,
                         @QueryParam("hub.challenge") String challenge) {
        if (!"subscribe".equals(mode) || !whatsApp.verifyTokenMatches(token) || challenge == null) {
            throw new DomainException(403, "forbidden", "not a subscription this server asked for");
        }
        return challenge;
    }

    @POST
    @Path("/whatsapp")
    @PermitAll
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Integer> whatsApp(@HeaderParam("X-Hub-Signature-256") String signature, byte[] rawBody) {
        if (!whatsApp.signatureMatches(rawBody, signature)) {
            throw Problems.unauthenticated("the X-Hub-Signature-256 does not match the body");
        }
        return Map.of("applied", reports.whatsApp(rawBody));
    }

    @POST
    @Path("/msg91/{token}")
    @PermitAll
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Integer> msg91(@PathParam("token") String token, byte[] rawBody) {
        return Map.of("applied", reports.msg91(token, rawBody));
    }
}
