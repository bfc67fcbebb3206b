package org.parley.api.admin;

import jakarta.annotation.security.RolesAllowed;
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
import org.parley.api.security.CurrentCaller;
import org.parley.common.Page;
import org.parley.common.PageRequest;
import org.parley.ledger.AccountKind;
import org.parley.ledger.LedgerCheck;
import org.parley.payment.PaymentJanitor;
import org.parley.payout.PayoutService;
import org.parley.payout.PayoutStatus;
import org.parley.payout.PayoutView;
import org.parley.payout.PayoutWorkflow;
import org.parley.wallet.WalletService;

import java.time.Duration;
import java.util.UUID;

/** Admins' money operations: payout decisions, balance adjustments, the ledger check, gateway reconciliation. */
@Path("/admin")
@RolesAllowed("ADMIN")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class AdminMoneyResource {

    @Inject
    private PayoutService payouts;
    @Inject
    private PayoutWorkflow workflow;
    @Inject
    private WalletService wallets;
    @Inject
    private LedgerCheck ledgerCheck;
    @Inject
    private PaymentJanitor janitor;
    @Inject
    private org.parley.live.SessionService sessions;
    @Inject
    private org.parley.live.SessionAftercare aftercare;
    @Inject
    private IdempotentRequests idempotent;
    @Inject
    private CurrentCaller caller;

    public record RejectRequest(@NotBlank @Size(max = 1000) String reason) {
    }

    /** {@code account} defaults to WALLET; EARNINGS_AVAILABLE credits or debits an expert's available earnings. */
    public record AdjustmentRequest(@NotNull Long amount, @NotBlank @Size(max = 1000) String reason, AccountKind account) {
    }

    @GET
    @Path("/payouts")
    public Page<PayoutView> payouts(@QueryParam("status") PayoutStatus status, @QueryParam("page") Integer page,
                                    @QueryParam("size") Integer size) {
        return payouts.all(status, PageRequest.of(page, size));
    }

    @POST
    @Path("/payouts/{id}/approve")
    public PayoutView approve(@PathParam("id") UUID id) {
        return workflow.approve(id, caller.get());
    }

    @POST
    @Path("/payouts/{id}/reject")
    public PayoutView reject(@PathParam("id") UUID id, RejectRequest r) {
        return payouts.reject(id, r.reason(), caller.get());
    }

    @POST
    @Path("/wallets/{accountId}/adjustments")
    public Response adjust(@HeaderParam(IdempotentRequests.HEADER) String key, @PathParam("accountId") UUID accountId,
                           AdjustmentRequest r) {
        return idempotent.require(caller.get(), key, "POST /admin/wallets/" + accountId + "/adjustments", r, 201,
                () -> wallets.adjust(accountId, r.account() == null ? AccountKind.WALLET : r.account(), r.amount(), r.reason(), caller.get()));
    }

    /** Full refund by default; {@code amount} for a partial one. */
    public record RefundRequest(@jakarta.validation.constraints.Positive Long amount, @NotBlank @Size(max = 1000) String reason) {
    }

    /** Sessions for the console: {@code live=true} the ones going on, {@code live=false} the ended ones, neither all. */
    @GET
    @Path("/sessions")
    public org.parley.common.Page<org.parley.live.SessionView> sessions(@QueryParam("live") Boolean live, @QueryParam("page") Integer page,
                                                                        @QueryParam("size") Integer size) {
        return sessions.adminList(live, org.parley.common.PageRequest.of(page, size));
    }

    @POST
    @Path("/sessions/{id}/refund")
    public Response refund(@HeaderParam(IdempotentRequests.HEADER) String key, @PathParam("id") UUID id, RefundRequest r) {
        return idempotent.require(caller.get(), key, "POST /admin/sessions/" + id + "/refund", r, 200,
                () -> aftercare.refund(caller.get(), id, r.amount(), r.reason()));
    }

    @POST
    @Path("/sessions/{id}/end")
    public org.parley.live.SessionSummary endSession(@PathParam("id") UUID id) {
        return sessions.end(caller.get(), id);
    }

    @GET
    @Path("/ledger/check")
    public LedgerCheck.Result ledgerCheck() {
        return ledgerCheck.run();
    }

    /** Runs the payment janitor now over every open deposit and PROCESSING payout, whatever their age. */
    @POST
    @Path("/payments/reconcile")
    public PaymentJanitor.Report reconcile() {
        return janitor.reconcile(Duration.ZERO, Duration.ZERO, Duration.ZERO);
    }
}
