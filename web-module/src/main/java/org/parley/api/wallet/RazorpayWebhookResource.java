package org.parley.api.wallet;

import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.parley.payment.WebhookService;

import java.util.Map;

/** Razorpay's webhook: authenticated by its HMAC signature over the raw body, not by a token. */
@Path("/payments/webhooks/razorpay")
public class RazorpayWebhookResource {

    @Inject
    private WebhookService webhooks;

    @POST
    @PermitAll
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, String> receive(@HeaderParam("X-Razorpay-Signature") String signature,
                                       @HeaderParam("X-Razorpay-Event-Id") String eventId, byte[] rawBody) {
        return Map.of("outcome", webhooks.handle(rawBody, signature, eventId).name().toLowerCase());
    }
}
