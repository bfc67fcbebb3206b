package org.parley.live;

import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import org.parley.audit.AuditLog;
import org.parley.common.Problems;
import org.parley.common.db.Rows;
import org.parley.identity.Caller;
import org.parley.ledger.AccountKind;
import org.parley.ledger.Ledger;
import org.parley.ledger.TransferKind;
import org.parley.settings.PlatformSettings;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;

/** What follows a session: the user's review (once) and admins' refunds. */
@Stateless
public class SessionAftercare {

    @PersistenceContext(unitName = "parley")
    private EntityManager em;
    @Inject
    private Ledger ledger;
    @Inject
    private PlatformSettings settings;
    @Inject
    private AuditLog audit;
    @Inject
    private Clock clock;

    /** The session's user reviews it once after it ended; the expert's rating follows. */
    public void review(Caller user, UUID sessionId, int rating, String comment) {
        LiveSession s = em.find(LiveSession.class, sessionId);
        if (s == null || !s.userId().equals(user.id())) {
            throw Problems.notFound("session");
        }
        if (s.isLive()) {
            throw Problems.conflict("session-live", "a session can be reviewed after it ends");
        }
        int inserted = em.createNativeQuery("insert into session_review (session_id, user_id, expert_id, rating, comment, created_at)"
                        + " values (?1, ?2, ?3, ?4, ?5, ?6) on conflict do nothing")
                .setParameter(1, sessionId).setParameter(2, user.id()).setParameter(3, s.expertId()).setParameter(4, rating)
                .setParameter(5, comment).setParameter(6, java.sql.Timestamp.from(clock.instant().truncatedTo(ChronoUnit.MICROS))).executeUpdate();
        if (inserted == 0) {
            throw Problems.conflict("already-reviewed", "this session has been reviewed already");
        }
        em.createNativeQuery("update expert_profile set rating = round((rating * review_count + ?1) / (review_count + 1.0), 2),"
                        + " review_count = review_count + 1 where account_id = ?2")
                .setParameter(1, rating).setParameter(2, s.expertId()).executeUpdate();
    }

    /**
     * Admins refund part or all of what an ended session charged to the user's wallet, reversing the settlement in
     * proportion: the fee share from PLATFORM_REVENUE, the rest from the expert's pending earnings (422 if those have
     * moved on). Never more than was charged and not yet refunded.
     */
    public SessionView refund(Caller admin, UUID sessionId, Long amount, String reason) {
        LiveSession s = Rows.lockedFresh(em, LiveSession.class, sessionId);
        if (s == null) {
            throw Problems.notFound("session");
        }
        if (s.isLive()) {
            throw Problems.conflict("session-live", "end the session before refunding it");
        }
        // Free minutes were the platform's spend, not the user's money: they are not refunded to the wallet.
        long refundable = s.amountCharged() - s.amountFree() - s.amountRefunded();
        long value = amount == null ? refundable : amount;
        if (value <= 0 || value > refundable) {
            if (refundable <= 0) {
                throw Problems.rule("refund-out-of-range", "nothing of this session is left to refund to the user's wallet");
            }
            throw Problems.rule("refund-out-of-range", "a refund must be between 1 and " + refundable + " paise");
        }
        long fee = settings.feeOf(value);
        UUID escrow = AccountKind.SESSION_ESCROW.systemId();
        String reference = s.id() + ":refund:" + (s.amountRefunded() + value);
        // Back along the path the money came: the fee share and the expert's share return to the session's escrow,
        // and the escrow pays the user once, so the wallet shows one REFUND of the whole amount.
        if (fee > 0) {
            ledger.transfer(AccountKind.PLATFORM_REVENUE.systemId(), escrow, fee, TransferKind.REFUND, reference + ":fee");
        }
        // The expert's share comes back from where the session's earnings are now: pending until the session is
        // settled (nightly settlement computes its line net of these refunds), available earnings after. Taking it from
        // pending after settlement would leave pending short of what the next settlement must move, and that settlement
        // would fail for every expert of its chunk. Settlement locks the sessions it settles, and this row is locked, so
        // the two cannot cross. If the settled share has left available earnings (paid out), the platform bears it.
        String expertShareFrom = "pending";
        if (value - fee > 0) {
            if (!settled(s.id())) {
                ledger.transfer(ledger.accountOf(s.expertId(), AccountKind.EARNINGS_PENDING), escrow, value - fee,
                        TransferKind.REFUND, reference + ":expert");
            } else if (ledger.tryTransfer(ledger.accountOf(s.expertId(), AccountKind.EARNINGS_AVAILABLE), escrow, value - fee,
                    TransferKind.REFUND, reference + ":expert") != null) {
                expertShareFrom = "available";
            } else {
                ledger.transfer(AccountKind.PLATFORM_REVENUE.systemId(), escrow, value - fee, TransferKind.REFUND, reference + ":platform");
                expertShareFrom = "platform";
            }
        }
        ledger.transfer(escrow, ledger.accountOf(s.userId(), AccountKind.WALLET), value, TransferKind.REFUND, reference);
        s.refunded(value, Math.max(0, value - fee));
        audit.record(admin, "SESSION_REFUNDED", "SESSION", sessionId, Map.of("amount", value, "reason", reason, "expertShareFrom", expertShareFrom));
        return SessionView.of(s);
    }

    private boolean settled(UUID sessionId) {
        return ((Number) em.createNativeQuery("select count(*) from settlement_line where session_id = ?1")
                .setParameter(1, sessionId).getSingleResult()).longValue() > 0;
    }
}
