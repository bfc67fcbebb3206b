package org.parley.api.wallet;

import jakarta.inject.Inject;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.parley.api.IdempotentRequests;
import org.parley.api.error.OptionalBody;
import org.parley.api.security.CurrentCaller;
import org.parley.common.Page;
import org.parley.common.PageRequest;
import org.parley.ledger.TransferKind;
import org.parley.wallet.DepositService;
import org.parley.wallet.DepositView;
import org.parley.wallet.WalletService;

import java.time.Instant;
import java.util.UUID;

/** The caller's wallet: balance, history, deposits. */
@Path("/wallet")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class WalletResource {

    @Inject
    private WalletService wallets;
    @Inject
    private DepositService deposits;
    @Inject
    private IdempotentRequests idempotent;
    @Inject
    private CurrentCaller caller;

    public record DepositRequest(@NotNull Long amount, @Size(max = 40) String couponCode, @Size(max = 16) String gateway) {
    }

    /** Razorpay's checkout answer; a Cashfree deposit is confirmed with an empty body (Parley asks the gateway). */
    @OptionalBody
    public record ConfirmRequest(@Size(max = 64) String gatewayPaymentId, @Size(max = 128) String signature) {
    }

    @GET
    public WalletService.Balance balance() {
        return wallets.balance(caller.get());
    }

    @GET
    @Path("/transactions")
    public Page<WalletService.Transaction> transactions(@QueryParam("type") TransferKind type, @QueryParam("from") Instant from,
                                                        @QueryParam("to") Instant to, @QueryParam("page") Integer page,
                                                        @QueryParam("size") Integer size) {
        return wallets.transactions(caller.get(), type, from, to, PageRequest.of(page, size));
    }

    @POST
    @Path("/deposits")
    public Response createDeposit(@HeaderParam(IdempotentRequests.HEADER) String key, DepositRequest r) {
        return idempotent.require(caller.get(), key, "POST /wallet/deposits", r, 201,
                () -> deposits.create(caller.get(), r.amount(), r.couponCode(), r.gateway()));
    }

    @GET
    @Path("/deposits/{id}")
    public DepositView deposit(@PathParam("id") UUID id) {
        return deposits.get(caller.get(), id);
    }

    /** Idempotent by nature (a deposit is credited once); an Idempotency-Key is honoured when sent. */
    @POST
    @Path("/deposits/{id}/confirm")
    public Response confirm(@HeaderParam(IdempotentRequests.HEADER) String key, @PathParam("id") UUID id, ConfirmRequest r) {
        return idempotent.run(caller.get(), key, "POST /wallet/deposits/" + id + "/confirm", r, 200,
                () -> deposits.confirm(caller.get(), id, r == null ? null : r.gatewayPaymentId(), r == null ? null : r.signature()));
    }

    /** The same confirmation sent with no body at all (and so no JSON content type): how a Cashfree deposit is confirmed. */
    @POST
    @Path("/deposits/{id}/confirm")
    @Consumes(MediaType.WILDCARD)
    public Response confirmWithoutBody(@HeaderParam(IdempotentRequests.HEADER) String key, @PathParam("id") UUID id) {
        return confirm(key, id, null);
    }
}
