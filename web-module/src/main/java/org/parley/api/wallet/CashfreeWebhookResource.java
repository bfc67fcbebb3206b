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

/** Cashfree's webhook: authenticated by its signature over timestamp + raw body, not by a token. */
@Path("/payments/webhooks/cashfree")
public class CashfreeWebhookResource {

    @Inject
    private WebhookService webhooks;

    @POST
    @PermitAll
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, String> receive(@HeaderParam("x-webhook-signature") String signature, @HeaderParam("x-webhook-timestamp") String timestamp,
                                       byte[] rawBody) {
        return Map.of("outcome", webhooks.handleCashfree(rawBody, timestamp, signature).name().toLowerCase());
    }
}
