package org.parley.order;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.PersistenceException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.parley.audit.AuditLog;
import org.parley.common.DomainException;
import org.parley.common.DomainException.FieldError;
import org.parley.common.Json;
import org.parley.common.Page;
import org.parley.common.PageRequest;
import org.parley.common.Problems;
import org.parley.common.Sql;
import org.parley.common.db.Rows;
import org.parley.expert.ExpertProfile;
import org.parley.expert.ExpertStatus;
import org.parley.files.FileRecords;
import org.parley.identity.Caller;
import org.parley.identity.Role;
import org.parley.ledger.AccountKind;
import org.parley.ledger.Ledger;
import org.parley.ledger.TransferKind;
import org.parley.notify.Notifications;
import org.parley.promotion.CouponTerms;
import org.parley.promotion.Coupons;
import org.parley.settings.PlatformSettings;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Report orders. Money, all in the transaction of the move that causes it: placing moves {@code amount} WALLET →
 * ORDER_ESCROW (422 if the wallet is short) and a coupon's discount PROMOTIONS → ORDER_ESCROW; completing pays the
 * whole price out like a session (the expert's net to pending earnings, the fee to revenue: the expert earns on the full
 * price); cancelling refunds to the wallet what is refunded, returns the discount to PROMOTIONS (and the coupon's use),
 * and settles what is kept like a completion. Each transfer's (kind, reference) is unique, so no move pays twice.
 *
 * <p>Moves, each under the order's row lock, anything else 409 {@code illegal-order-move}: NEW/ASSIGNED → ASSIGNED
 * (admin) → IN_PROGRESS (the assigned expert) → DELIVERED (a report by that expert, or by an admin from ASSIGNED on) →
 * COMPLETED (the user, or by itself {@code 7} days after delivery); CANCELLED by the user while NEW or ASSIGNED, by an
 * admin before COMPLETED. A "day" is {@code parley.orders.day-seconds} seconds (86400; short on the test server).
 */
@Stateless
public class OrderService {

    static final int AUTO_COMPLETE_DAYS = 7;

    @PersistenceContext(unitName = "parley")
    private EntityManager em;
    @Inject
    private Catalog catalog;
    @Inject
    private Coupons coupons;
    @Inject
    private Ledger ledger;
    @Inject
    private PlatformSettings settings;
    @Inject
    private FileRecords files;
    @Inject
    private Notifications notifications;
    @Inject
    private AuditLog audit;
    @Inject
    private Clock clock;
    @Inject
    @ConfigProperty(name = "parley.orders.day-seconds", defaultValue = "86400")
    long daySeconds;

    /** An order as its user, its expert and admins see it. */
    public record OrderView(UUID id, OrderStatus status, UUID serviceId, String serviceName, UUID userId, UUID expertId, long price,
                            long discount, long amount, long refunded, String couponCode, Map<String, Object> formData,
                            Instant expectedDeliveryAt, boolean overdue, Instant assignedAt, Instant startedAt, Instant deliveredAt,
                            Instant completedAt, String completedBy, Instant cancelledAt, String cancelReason, Instant createdAt) {
    }

    /** A delivered report. */
    public record ReportView(UUID id, UUID fileId, String name, String contentType, long size, String note, UUID uploadedBy,
                             Instant createdAt) {
    }

    /**
     * Places an order of {@code serviceId} for the calling USER: 404 for an unknown service, 422 {@code service-inactive},
     * 400 with a field error per wrong answer of the form, 422 for a coupon it cannot use or a wallet that is short —
     * and in every such case nothing is kept and nothing charged. The price is the catalog's.
     */
    public OrderView place(Caller user, UUID serviceId, Map<String, Object> formData, String couponCode) {
        if (user.role() != Role.USER) {
            throw Problems.forbidden("only USER accounts place orders");
        }
        Catalog.ServiceView service = serviceId == null ? null : catalog.find(serviceId);
        if (service == null) {
            throw Problems.notFound("service");
        }
        if (!service.active()) {
            throw Problems.rule("service-inactive", service.name() + " is not offered at the moment");
        }
        FormSchema.Checked checked = service.formSchema().check(formData);
        if (!checked.errors().isEmpty()) {
            throw Problems.badRequest("the form of " + service.name() + " has errors", checked.errors());
        }
        UUID id = UUID.randomUUID();
        Instant now = now();
        Coupons.Use use = couponCode == null || couponCode.isBlank() ? null
                : coupons.use(user.id(), couponCode, service.price(), CouponTerms.AppliesTo.ORDERS, id);
        long discount = use == null ? 0 : use.discount();
        long amount = service.price() - discount;
        em.createNativeQuery("""
                        insert into report_order (id, service_id, user_id, status, price, discount, amount, coupon_id, form_data,
                                                  expected_delivery_at, created_at, updated_at)
                        values (?1, ?2, ?3, 'NEW', ?4, ?5, ?6, ?7, cast(?8 as jsonb), ?9, ?10, ?10)""")
                .setParameter(1, id).setParameter(2, service.id()).setParameter(3, user.id()).setParameter(4, service.price())
                .setParameter(5, discount).setParameter(6, amount).setParameter(7, use == null ? null : use.couponId())
                .setParameter(8, json(checked.answers())).setParameter(9, Timestamp.from(now.plus(days(service.deliveryDays()))))
                .setParameter(10, Timestamp.from(now)).executeUpdate();
        if (amount > 0) {
            ledger.transfer(ledger.accountOf(user.id(), AccountKind.WALLET), AccountKind.ORDER_ESCROW.systemId(), amount,
                    TransferKind.ORDER_PAYMENT, "order:" + id);
        }
        if (discount > 0) {
            ledger.transfer(AccountKind.PROMOTIONS.systemId(), AccountKind.ORDER_ESCROW.systemId(), discount,
                    TransferKind.PROMOTION, "order:" + id);
        }
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("service", service.id().toString());
        meta.put("price", service.price());
        meta.put("discount", discount);
        if (use != null) {
            meta.put("coupon", use.code());
        }
        audit.record(user, "ORDER_PLACED", "ORDER", id, meta);
        return view(em.find(ReportOrder.class, id), now);
    }

    /** An admin assigns (or reassigns) a NEW or ASSIGNED order to an approved, active expert. */
    public OrderView assign(Caller admin, UUID id, UUID expertId) {
        ReportOrder o = locked(admin, id);
        if (o.status() != OrderStatus.NEW && o.status() != OrderStatus.ASSIGNED) {
            throw illegal(o, "be assigned");
        }
        ExpertProfile expert = expertId == null ? null : em.find(ExpertProfile.class, expertId);
        if (expert == null || expert.status() != ExpertStatus.APPROVED || !expert.account().isActive()) {
            throw Problems.rule("expert-not-approved", "orders go to approved, active experts",
                    List.of(new FieldError("expertId", "not an approved, active expert")));
        }
        UUID previous = o.expertId();
        o.assign(expertId, now());
        em.flush();
        notifications.notifyEverywhere(expertId, "ORDER_ASSIGNED", "A report order for you",
                "A report order is assigned to you; it is due " + o.expectedDeliveryAt() + ".", "order:" + id + ":assigned:" + expertId, null,
                Map.of("service", serviceName(o)));
        Map<String, Object> meta = new HashMap<>();
        meta.put("expert", expertId.toString());
        if (previous != null) {
            meta.put("previousExpert", previous.toString());
        }
        audit.record(admin, "ORDER_ASSIGNED", "ORDER", id, meta);
        return view(o, now());
    }

    /** The assigned expert starts work on an ASSIGNED order. */
    public OrderView start(Caller expert, UUID id) {
        ReportOrder o = locked(expert, id);
        if (!expert.id().equals(o.expertId())) {
            throw Problems.forbidden("only the assigned expert starts an order");
        }
        if (o.status() != OrderStatus.ASSIGNED) {
            throw illegal(o, "start");
        }
        o.start(now());
        audit.record(expert, "ORDER_STARTED", "ORDER", id, Map.of());
        return view(o, now());
    }

    /**
     * Delivers a report: {@code fileId} must be a REPORT file the caller uploaded and not attached elsewhere. The assigned
     * expert delivers while IN_PROGRESS, an admin from ASSIGNED on; either may add a corrected report to a DELIVERED
     * order (the days to completion still count from the first delivery). The user is told in-app and by email.
     */
    public ReportView deliver(Caller caller, UUID id, UUID fileId, String note) {
        ReportOrder o = locked(caller, id);
        boolean admin = caller.isAdmin();
        if (!admin && !caller.id().equals(o.expertId())) {
            throw Problems.forbidden("reports are delivered by the assigned expert or an admin");
        }
        boolean allowed = o.status() == OrderStatus.IN_PROGRESS || o.status() == OrderStatus.DELIVERED
                || (admin && o.status() == OrderStatus.ASSIGNED);
        if (!allowed) {
            throw illegal(o, "take a report");
        }
        FileRecords.FileView file = fileId == null ? null : files.find(fileId);
        if (file == null || !"REPORT".equals(file.purpose()) || !caller.id().equals(file.ownerId())) {
            throw Problems.rule("invalid-report-file", "a report is a REPORT file you uploaded (POST /files, purpose REPORT)",
                    List.of(new FieldError("fileId", "not a REPORT file of yours")));
        }
        UUID reportId = UUID.randomUUID();
        Instant now = now();
        try {
            em.createNativeQuery("insert into order_report (id, order_id, file_id, note, uploaded_by, created_at) values (?1, ?2, ?3, ?4, ?5, ?6)")
                    .setParameter(1, reportId).setParameter(2, id).setParameter(3, fileId).setParameter(4, note)
                    .setParameter(5, caller.id()).setParameter(6, Timestamp.from(now)).executeUpdate();
        } catch (PersistenceException e) {
            if (Sql.isUniqueViolation(e, "order_report_file_id_key")) {
                throw Problems.conflict("file-in-use", "that file is already a report of an order");
            }
            throw e;
        }
        boolean first = o.status() != OrderStatus.DELIVERED;
        o.delivered(now);
        String service = serviceName(o);
        notifications.notifyEverywhere(o.userId(), "ORDER_DELIVERED", first ? "Your report is ready" : "Your report was updated",
                "The report for your order of " + service + " is ready to read in the app.", "order:" + id + ":report:" + reportId, null,
                Map.of("service", service));
        audit.record(caller, "ORDER_DELIVERED", "ORDER", id, Map.of("report", reportId.toString(), "file", fileId.toString()));
        return reports(caller, id).stream().filter(r -> r.id().equals(reportId)).findFirst().orElseThrow();
    }

    /** The user accepts a DELIVERED order: COMPLETED and settled. */
    public OrderView accept(Caller user, UUID id) {
        ReportOrder o = locked(user, id);
        if (!user.id().equals(o.userId())) {
            throw Problems.forbidden("only the order's user accepts it");
        }
        if (o.status() != OrderStatus.DELIVERED) {
            throw illegal(o, "be accepted");
        }
        complete(o, "USER", user);
        return view(o, now());
    }

    /**
     * Cancels an order. Its user may while NEW or ASSIGNED, getting back all it paid ({@code amount} not allowed: 400);
     * an admin may before COMPLETED, refunding {@code amount} (default all it paid; more is 422). The coupon's discount
     * goes back to PROMOTIONS and its use to the user; what is not refunded is settled like a completion (with no expert,
     * all of it to the platform).
     */
    public OrderView cancel(Caller caller, UUID id, String reason, Long amount) {
        ReportOrder o = locked(caller, id);
        boolean admin = caller.isAdmin();
        if (!admin && !caller.id().equals(o.userId())) {
            throw Problems.forbidden("an order is cancelled by its user or an admin");
        }
        if (!admin && amount != null) {
            throw Problems.badRequest("only an admin chooses how much a cancellation refunds",
                    List.of(new FieldError("amount", "not allowed: a user's cancellation refunds everything")));
        }
        boolean allowed = admin ? o.status() != OrderStatus.COMPLETED && o.status() != OrderStatus.CANCELLED
                : o.status() == OrderStatus.NEW || o.status() == OrderStatus.ASSIGNED;
        if (!allowed) {
            throw illegal(o, admin ? "be cancelled" : "be cancelled by its user (an admin can)");
        }
        long refund = amount == null ? o.amount() : amount;
        if (refund < 0 || refund > o.amount()) {
            throw Problems.rule("refund-exceeds-paid", "a cancellation refunds 0 to " + o.amount() + " paise (what was paid)",
                    List.of(new FieldError("amount", "0 to " + o.amount())));
        }
        Instant now = now();
        String ref = "order:" + id;
        if (refund > 0) {
            ledger.transfer(AccountKind.ORDER_ESCROW.systemId(), ledger.accountOf(o.userId(), AccountKind.WALLET), refund,
                    TransferKind.REFUND, ref + ":refund");
        }
        if (o.discount() > 0) {
            ledger.transfer(AccountKind.ORDER_ESCROW.systemId(), AccountKind.PROMOTIONS.systemId(), o.discount(),
                    TransferKind.PROMOTION_RETURN, ref);
        }
        coupons.release(CouponTerms.AppliesTo.ORDERS, id);
        o.cancel(caller.id(), reason, refund, now);
        long kept = o.amount() - refund;
        if (kept > 0) {
            settle(o, kept, now);
        }
        String service = serviceName(o);
        notifications.notifyEverywhere(o.userId(), "ORDER_CANCELLED", "Your order was cancelled",
                "Your order of " + service + " was cancelled" + (refund > 0 ? "; " + Notifications.rupees(refund) + " is back in your wallet." : "."),
                ref + ":cancelled", null, Map.of("service", service));
        if (o.expertId() != null) {
            notifications.notify(o.expertId(), Notifications.Channel.IN_APP, "ORDER_CANCELLED", "An order was cancelled",
                    "The order of " + service + " assigned to you was cancelled.", ref + ":cancelled:expert");
        }
        Map<String, Object> meta = new HashMap<>();
        meta.put("refund", refund);
        meta.put("kept", kept);
        meta.put("reason", reason == null ? "" : reason);
        audit.record(caller, "ORDER_CANCELLED", "ORDER", id, meta);
        return view(o, now);
    }

    public OrderView get(Caller caller, UUID id) {
        return view(visible(caller, id), now());
    }

    /** The user's own orders, the expert's assigned ones, every order for an admin; optionally of a status, or only overdue ones. */
    public Page<OrderView> list(Caller caller, OrderStatus status, boolean overdueOnly, PageRequest page) {
        StringBuilder where = new StringBuilder(" where 1 = 1");
        Map<String, Object> params = new HashMap<>();
        if (caller.role() == Role.USER) {
            where.append(" and o.userId = :me");
            params.put("me", caller.id());
        } else if (caller.role() == Role.EXPERT) {
            where.append(" and o.expertId = :me");
            params.put("me", caller.id());
        }
        if (status != null) {
            where.append(" and o.status = :status");
            params.put("status", status);
        }
        Instant now = now();
        if (overdueOnly) {
            where.append(" and o.status in :open and o.expectedDeliveryAt < :now");
            params.put("open", List.of(OrderStatus.NEW, OrderStatus.ASSIGNED, OrderStatus.IN_PROGRESS));
            params.put("now", now);
        }
        var q = em.createQuery("select o from ReportOrder o" + where + " order by o.createdAt desc, o.id", ReportOrder.class);
        var count = em.createQuery("select count(o) from ReportOrder o" + where, Long.class);
        params.forEach((k, v) -> {
            q.setParameter(k, v);
            count.setParameter(k, v);
        });
        List<ReportOrder> orders = q.setFirstResult(page.offset()).setMaxResults(page.size()).getResultList();
        Map<UUID, Object[]> extras = extras(orders.stream().map(ReportOrder::id).toList());
        return new Page<>(orders.stream().map(o -> view(o, extras.get(o.id()), now)).toList(), page.page(), page.size(), count.getSingleResult());
    }

    /** The order's reports, oldest first: for its user, its expert and admins. */
    public List<ReportView> reports(Caller caller, UUID id) {
        visible(caller, id);
        return em.createNativeQuery("""
                        select r.id, r.file_id, f.name, f.content_type, f.size, r.note, r.uploaded_by, r.created_at
                        from order_report r join stored_file f on f.id = r.file_id where r.order_id = ?1 order by r.created_at, r.id""")
                .setParameter(1, id).getResultList().stream().map(x -> {
                    Object[] r = (Object[]) x;
                    return new ReportView((UUID) r[0], (UUID) r[1], (String) r[2], (String) r[3], ((Number) r[4]).longValue(),
                            (String) r[5], (UUID) r[6], Rows.instant(r[7]));
                }).toList();
    }

    /** DELIVERED orders whose days to acceptance have run out. */
    @SuppressWarnings("unchecked")
    public List<UUID> dueCompletions(Instant now, int limit) {
        return em.createNativeQuery("select id from report_order where status = 'DELIVERED' and delivered_at <= ?1 order by delivered_at limit ?2")
                .setParameter(1, Timestamp.from(now.minus(days(AUTO_COMPLETE_DAYS)))).setParameter(2, limit).getResultList();
    }

    /** Completes an order whose acceptance time ran out, if it is still DELIVERED and no other node holds it. */
    public void autoComplete(UUID id) {
        List<?> mine = em.createNativeQuery("select id from report_order where id = ?1 and status = 'DELIVERED' and delivered_at <= ?2"
                        + " for update skip locked")
                .setParameter(1, id).setParameter(2, Timestamp.from(now().minus(days(AUTO_COMPLETE_DAYS)))).getResultList();
        if (mine.isEmpty()) {
            return;
        }
        ReportOrder o = em.find(ReportOrder.class, id);
        em.refresh(o);
        complete(o, "AUTO", null);
    }

    /** Open orders within a day of their expected delivery that have not been alerted yet. */
    @SuppressWarnings("unchecked")
    public List<UUID> dueDeadlineAlerts(Instant now, int limit) {
        return em.createNativeQuery("""
                        select id from report_order where status in ('NEW', 'ASSIGNED', 'IN_PROGRESS') and expected_delivery_at <= ?1
                          and deadline_alerted_at is null order by expected_delivery_at limit ?2""")
                .setParameter(1, Timestamp.from(now.plus(days(1)))).setParameter(2, limit).getResultList();
    }

    /** Alerts the expert (in-app and email) and every admin (in-app) that an order is due within a day; once. */
    @SuppressWarnings("unchecked")
    public void alertDeadline(UUID id) {
        List<?> claimed = em.createNativeQuery("""
                        update report_order set deadline_alerted_at = ?2 where id = ?1 and deadline_alerted_at is null
                          and status in ('NEW', 'ASSIGNED', 'IN_PROGRESS') returning expert_id, expected_delivery_at""")
                .setParameter(1, id).setParameter(2, Timestamp.from(now())).getResultList();
        if (claimed.isEmpty()) {
            return;
        }
        Object[] r = (Object[]) claimed.get(0);
        String due = Rows.instant(r[1]).toString();
        String key = "order:" + id + ":deadline";
        if (r[0] != null) {
            notifications.notifyEverywhere((UUID) r[0], "ORDER_DEADLINE", "A report is due soon",
                    "A report order assigned to you is due " + due + ".", key);
        }
        for (UUID admin : (List<UUID>) em.createNativeQuery("select id from account where role = 'ADMIN' and status = 'ACTIVE'").getResultList()) {
            notifications.notify(admin, Notifications.Channel.IN_APP, "ORDER_DEADLINE", "An order is due soon",
                    "Order " + id + (r[0] == null ? " (not assigned yet)" : "") + " is due " + due + ".", key);
        }
        audit.record(null, "ORDER_DEADLINE_ALERTED", "ORDER", id, Map.of("expectedDeliveryAt", due));
    }

    private void complete(ReportOrder o, String by, Caller actor) {
        Instant now = now();
        o.complete(by, now);
        settle(o, o.price(), now);
        notifications.notify(o.userId(), Notifications.Channel.IN_APP, "ORDER_COMPLETED", "Order completed",
                "Your order of " + serviceName(o) + " is complete.", "order:" + o.id() + ":completed");
        notifications.notify(o.expertId(), Notifications.Channel.IN_APP, "ORDER_COMPLETED", "Order completed",
                "The order of " + serviceName(o) + " is complete; its earnings are pending settlement.", "order:" + o.id() + ":completed:expert");
        audit.record(actor, "ORDER_COMPLETED", "ORDER", o.id(), Map.of("by", by, "expertNet", o.expertNet()));
    }

    /**
     * Pays {@code gross} out of the order's escrow like a session: the expert's net (gross less the fee) to its pending
     * earnings, the fee to the platform; with no expert, all of it to the platform.
     */
    private void settle(ReportOrder o, long gross, Instant now) {
        String ref = "order:" + o.id();
        if (o.expertId() == null) {
            ledger.transfer(AccountKind.ORDER_ESCROW.systemId(), AccountKind.PLATFORM_REVENUE.systemId(), gross, TransferKind.PLATFORM_FEE, ref);
            o.settled(gross, null, now);
            return;
        }
        long fee = settings.feeOf(gross);
        long net = gross - fee;
        if (net > 0) {
            ledger.transfer(AccountKind.ORDER_ESCROW.systemId(), ledger.accountOf(o.expertId(), AccountKind.EARNINGS_PENDING), net,
                    TransferKind.ORDER_EARNING, ref);
        }
        if (fee > 0) {
            ledger.transfer(AccountKind.ORDER_ESCROW.systemId(), AccountKind.PLATFORM_REVENUE.systemId(), fee, TransferKind.PLATFORM_FEE, ref);
        }
        o.settled(gross, net, now);
    }

    private ReportOrder locked(Caller caller, UUID id) {
        visible(caller, id);
        return Rows.lockedFresh(em, ReportOrder.class, id);
    }

    private ReportOrder visible(Caller caller, UUID id) {
        ReportOrder o = em.find(ReportOrder.class, id);
        return caller.isAdmin() && o != null ? o : org.parley.common.Access.requireOwner(o, caller.id(), "order");
    }

    private static DomainException illegal(ReportOrder o, String what) {
        return Problems.conflict("illegal-order-move", "a " + o.status() + " order cannot " + what);
    }

    private OrderView view(ReportOrder o, Instant now) {
        return view(o, extras(List.of(o.id())).get(o.id()), now);
    }

    /** id → (form data as JSON text, service name, coupon code) of each order. */
    private Map<UUID, Object[]> extras(List<UUID> ids) {
        Map<UUID, Object[]> out = new HashMap<>();
        if (ids.isEmpty()) {
            return out;
        }
        for (Object row : em.createNativeQuery("""
                        select o.id, cast(o.form_data as text), s.name, c.code from report_order o join catalog_service s on s.id = o.service_id
                        left join coupon c on c.id = o.coupon_id where o.id = any(cast(?1 as uuid[]))""")
                .setParameter(1, ids.toArray(UUID[]::new)).getResultList()) {
            Object[] r = (Object[]) row;
            out.put((UUID) r[0], r);
        }
        return out;
    }

    private static OrderView view(ReportOrder o, Object[] extra, Instant now) {
        boolean overdue = o.status().isOpen() && now.isAfter(o.expectedDeliveryAt());
        return new OrderView(o.id(), o.status(), o.serviceId(), (String) extra[2], o.userId(), o.expertId(), o.price(), o.discount(),
                o.amount(), o.refunded(), (String) extra[3], answers((String) extra[1]), o.expectedDeliveryAt(), overdue, o.assignedAt(),
                o.startedAt(), o.deliveredAt(), o.completedAt(), o.completedBy(), o.cancelledAt(), o.cancelReason(), o.createdAt());
    }

    private String serviceName(ReportOrder o) {
        return (String) em.createNativeQuery("select name from catalog_service where id = ?1").setParameter(1, o.serviceId()).getSingleResult();
    }

    private static Map<String, Object> answers(String json) {
        try {
            return Json.mapper().readValue(json, new TypeReference<LinkedHashMap<String, Object>>() {
            });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored form data does not parse", e);
        }
    }

    private static String json(Map<String, Object> answers) {
        try {
            return Json.mapper().writeValueAsString(answers);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private Duration days(long n) {
        return Duration.ofSeconds(n * daySeconds);
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
