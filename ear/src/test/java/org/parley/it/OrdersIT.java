package org.parley.it;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.parley.it.support.Accounts;
import org.parley.it.support.Accounts.Person;
import org.parley.it.support.Api;
import org.parley.it.support.Db;
import org.parley.it.support.Eventually;
import org.parley.it.support.Jobs;
import org.parley.it.support.Money;
import org.parley.it.support.Orders;
import org.parley.it.support.SystemTest;
import org.parley.it.support.TestEnvironment;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.parley.it.support.Problems.assertFieldError;
import static org.parley.it.support.Problems.assertProblem;

/**
 * Report orders over HTTP against the deployed EAR: the catalog's forms, the lifecycle and every illegal move, the
 * escrow settled to the paisa at completion (by the user or by itself), cancellations and partial refunds, who reads a
 * report, deadlines, and nightly settlement of order earnings. An order "day" is 3 s on the test server.
 */
class OrdersIT extends SystemTest {

    /** A price whose 20 % fee rounds: 2,469.4 → 2,469, so the expert's net is 9,878. */
    private static final long PRICE = 12_347;
    private static final long FEE = 2_469;
    private static final long NET = PRICE - FEE;
    private static final Duration WAIT = Duration.ofSeconds(45);

    private String admin;

    @BeforeEach
    void signIn() {
        admin = Accounts.admin(api);
        assertEquals(200, api.patch("/admin/config", admin, Map.of("feePercent", 20)).status());
    }

    private Person fundedUser(long wallet) {
        Person user = Accounts.user(api);
        Money.fund(api, admin, user.id(), "WALLET", wallet);
        return user;
    }

    private Person expert() {
        return Accounts.approvedExpert(api, admin, "Report Writer", Accounts.profile("Astrologer", List.of("vedic"), List.of("en"),
                Map.of("CHAT", 1_000L)));
    }

    private String reportFile(String token) {
        Api.Resp r = FilesIT.upload(token, "REPORT", "reading.pdf", "application/pdf", FilesIT.pdf());
        assertEquals(201, r.status(), r::toString);
        return r.json().get("id").asText();
    }

    private JsonNode move(String method, String path, String token, Object body, int status) {
        Api.Resp r = api.send(method, path, token, body, "application/json");
        assertEquals(status, r.status(), r::toString);
        return r.json();
    }

    private JsonNode assign(String orderId, Person expert) {
        return move("PUT", "/admin/orders/" + orderId + "/assignment", admin, Map.of("expertId", expert.id()), 200);
    }

    private JsonNode deliver(String orderId, String token, String fileId) {
        return move("POST", "/orders/" + orderId + "/reports", token, Map.of("fileId", fileId, "note", "Your reading"), 201);
    }

    /** An order taken through to DELIVERED by {@code expert}. */
    private JsonNode delivered(Person user, Person expert, String serviceId) {
        String id = Orders.order(api, user, serviceId).get("id").asText();
        assign(id, expert);
        move("POST", "/orders/" + id + "/start", expert.token(), null, 200);
        deliver(id, expert.token(), reportFile(expert.token()));
        return api.get("/orders/" + id, user.token()).json();
    }

    @Test
    void aServiceDeclaresItsFormAndAnOrderWithAMissingMalformedOrUnknownAnswerIsRefusedFieldByFieldWithNothingCharged() {
        JsonNode service = Orders.service(api, admin, PRICE, 5);
        String serviceId = service.get("id").asText();
        assertEquals("ASTROLOGY", service.get("category").asText());
        assertEquals(6, service.get("formSchema").get("fields").size());
        Api.Resp listed = api.get("/catalog/services?category=Astrology&size=100", null);
        assertEquals(200, listed.status(), listed::toString);
        assertTrue(listed.json().get("items").findValuesAsText("id").contains(serviceId), "listed without signing in");

        Person user = fundedUser(50_000);
        Map<String, Object> bad = Orders.answers();
        bad.remove("birthDate");
        bad.put("birthTime", "25:99");
        bad.put("age", "thirty");
        bad.put("focus", "money");
        bad.put("favouriteColour", "blue");
        JsonNode problem = assertProblem(Orders.place(api, user, serviceId, bad, null), 400, "validation");
        for (String field : List.of("formData.birthDate", "formData.birthTime", "formData.age", "formData.focus", "formData.favouriteColour")) {
            assertFieldError(problem, field);
        }
        assertEquals(5, problem.get("errors").size(), problem::toString);
        Map<String, Object> noForm = new HashMap<>();
        noForm.put("serviceId", serviceId);
        assertFieldError(assertProblem(Money.postIdempotent(api, "/orders", user.token(), Money.key(), noForm), 400, "validation"),
                "formData.fullName");
        Map<String, Object> withPrice = new HashMap<>(Map.of("serviceId", serviceId, "formData", Orders.answers(), "price", 1));
        assertProblem(Money.postIdempotent(api, "/orders", user.token(), Money.key(), withPrice), 400, null);
        assertProblem(Orders.place(api, user, "00000000-0000-0000-0000-0000000000aa", Orders.answers(), null), 404, "not-found");
        assertEquals(50_000, Money.walletBalance(api, user.token()), "nothing charged");
        assertEquals(0, Db.count("select count(*) from report_order where user_id = ?::uuid", user.id()));

        Map<String, Object> inactive = new HashMap<>(Map.of("category", "astrology", "name", "Retired", "price", PRICE, "deliveryDays", 5,
                "formSchema", Orders.chartForm(), "active", false));
        JsonNode retired = move("PUT", "/admin/catalog/services/" + serviceId, admin, inactive, 200);
        assertFalse(retired.get("active").asBoolean());
        assertProblem(Orders.place(api, user, serviceId, Orders.answers(), null), 422, "service-inactive");
        assertFalse(api.get("/catalog/services?size=100", null).json().get("items").findValuesAsText("id").contains(serviceId),
                "an inactive service is not offered");
        assertProblem(api.get("/catalog/services/" + serviceId, user.token()), 404, "not-found");

        Map<String, Object> badSchema = Map.of("category", "vastu", "name", "Plan", "price", 0, "deliveryDays", 400,
                "formSchema", Map.of("fields", List.of(Map.of("name", "9lives", "label", "x", "type", "CHOICE", "required", true))));
        JsonNode schemaProblem = assertProblem(api.post("/admin/catalog/services", admin, badSchema), 400, "validation");
        for (String field : List.of("price", "deliveryDays", "formSchema.fields[0].name", "formSchema.fields[0].options")) {
            assertFieldError(schemaProblem, field);
        }
        assertProblem(api.post("/admin/catalog/services", user.token(), badSchema), 403, "forbidden");
    }

    @Test
    void anOrderMovesFromNewToCompletedRefusingEveryIllegalMoveAndSettlesTheFullPriceLikeASession() throws Exception {
        String serviceId = Orders.service(api, admin, PRICE, 5).get("id").asText();
        Person user = fundedUser(50_000);
        Person expert = expert();
        Person otherExpert = expert();
        Person applicant = Accounts.expertApplicant(api);
        long pendingBefore = Orders.balance(expert.id(), "EARNINGS_PENDING");

        JsonNode placed = Orders.order(api, user, serviceId);
        String id = placed.get("id").asText();
        assertEquals("NEW", placed.get("status").asText());
        assertEquals(PRICE, placed.get("price").asLong());
        assertEquals(0, placed.get("discount").asLong());
        assertEquals(PRICE, placed.get("amount").asLong());
        assertEquals("Varanasi, India", placed.get("formData").get("birthPlace").asText());
        assertEquals(36, placed.get("formData").get("age").asInt());
        assertTrue(placed.get("expertId").isNull());
        Instant created = Instant.parse(placed.get("createdAt").asText());
        assertEquals(created.plusSeconds(5L * Orders.DAY_SECONDS), Instant.parse(placed.get("expectedDeliveryAt").asText()));
        assertEquals(50_000 - PRICE, Money.walletBalance(api, user.token()), "paid at once");
        assertEquals(PRICE, Orders.moved("ORDER_PAYMENT", "order:" + id));

        String o = "/orders/" + id;
        assertProblem(api.post(o + "/accept", user.token(), null), 409, "illegal-order-move");
        assertProblem(api.post(o + "/reports", admin, Map.of("fileId", reportFile(admin))), 409, "illegal-order-move");
        assertProblem(api.post(o + "/start", expert.token(), null), 404, "not-found");
        JsonNode notApproved = assertProblem(api.put("/admin/orders/" + id + "/assignment", admin, Map.of("expertId", applicant.id())), 422,
                "expert-not-approved");
        assertFieldError(notApproved, "expertId");

        assertEquals("ASSIGNED", assign(id, otherExpert).get("status").asText());
        JsonNode reassigned = assign(id, expert);
        assertEquals(expert.id(), reassigned.get("expertId").asText());
        assertProblem(api.post(o + "/start", otherExpert.token(), null), 404, "not-found");
        assertProblem(api.post(o + "/start", user.token(), null), 403, "forbidden");
        assertProblem(api.post(o + "/accept", user.token(), null), 409, "illegal-order-move");
        assertProblem(api.post(o + "/reports", expert.token(), Map.of("fileId", reportFile(expert.token()))), 409, "illegal-order-move");

        assertEquals("IN_PROGRESS", move("POST", o + "/start", expert.token(), null, 200).get("status").asText());
        assertProblem(api.post(o + "/start", expert.token(), null), 409, "illegal-order-move");
        assertProblem(api.put("/admin/orders/" + id + "/assignment", admin, Map.of("expertId", otherExpert.id())), 409, "illegal-order-move");
        assertProblem(api.post(o + "/cancel", user.token(), Map.of("reason", "changed my mind")), 409, "illegal-order-move");
        JsonNode notMine = assertProblem(api.post(o + "/reports", expert.token(), Map.of("fileId", reportFile(otherExpert.token()))), 422,
                "invalid-report-file");
        assertFieldError(notMine, "fileId");

        String fileId = reportFile(expert.token());
        JsonNode report = deliver(id, expert.token(), fileId);
        assertEquals(fileId, report.get("fileId").asText());
        assertEquals("DELIVERED", api.get(o, user.token()).json().get("status").asText());
        assertProblem(api.post(o + "/start", expert.token(), null), 409, "illegal-order-move");
        assertProblem(api.post(o + "/accept", expert.token(), null), 403, "forbidden");
        assertEquals(1, Db.count("select count(*) from notification where account_id = ?::uuid and kind = 'ORDER_DELIVERED' and channel = 'IN_APP'",
                user.id()));
        MimeMessage email = Eventually.until(WAIT, () -> Arrays.stream(TestEnvironment.mail().getReceivedMessages()).filter(m -> {
            try {
                return m.getAllRecipients()[0].toString().equals(user.email()) && m.getSubject().equals("Your report is ready");
            } catch (jakarta.mail.MessagingException e) {
                throw new AssertionError(e);
            }
        }).findFirst().orElse(null), m -> m != null, "the delivery email");
        assertTrue(((String) email.getContent()).contains("ready"));

        JsonNode completed = move("POST", o + "/accept", user.token(), null, 200);
        assertEquals("COMPLETED", completed.get("status").asText());
        assertEquals("USER", completed.get("completedBy").asText());
        assertProblem(api.post(o + "/accept", user.token(), null), 409, "illegal-order-move");
        assertProblem(api.post(o + "/cancel", admin, Map.of("reason", "late")), 409, "illegal-order-move");
        assertProblem(api.post(o + "/reports", admin, Map.of("fileId", reportFile(admin))), 409, "illegal-order-move");

        assertEquals(NET, Orders.moved("ORDER_EARNING", "order:" + id), "the expert's net of the full price");
        assertEquals(FEE, Orders.moved("PLATFORM_FEE", "order:" + id));
        assertEquals(pendingBefore + NET, Orders.balance(expert.id(), "EARNINGS_PENDING"));
        assertEquals(NET, api.get("/earnings/summary", expert.token()).json().get("today").asLong());
        assertEquals(0, Db.count("select count(*) from ledger_transfer where reference like 'order:' || ? || '%' and kind = 'REFUND'", id));
    }

    @Test
    void aDeliveredOrderNobodyAcceptsCompletesByItselfAfterSevenDaysAndSettlesOnce() {
        String serviceId = Orders.service(api, admin, PRICE, 30).get("id").asText();
        Person user = fundedUser(50_000);
        Person expert = expert();
        JsonNode order = delivered(user, expert, serviceId);
        Instant deliveredAt = Instant.parse(order.get("deliveredAt").asText());
        JsonNode done = Eventually.until(WAIT, () -> api.get("/orders/" + order.get("id").asText(), user.token()).json(),
                o -> "COMPLETED".equals(o.get("status").asText()), "the order to complete by itself");
        assertEquals("AUTO", done.get("completedBy").asText());
        assertFalse(Instant.parse(done.get("completedAt").asText()).isBefore(deliveredAt.plusSeconds(7L * Orders.DAY_SECONDS)),
                "not before seven days: " + done);
        assertEquals(NET, Orders.moved("ORDER_EARNING", "order:" + done.get("id").asText()));
        assertEquals(FEE, Orders.moved("PLATFORM_FEE", "order:" + done.get("id").asText()));
        assertEquals(1, Db.count("select count(*) from audit_entry where entity_id = ? and action = 'ORDER_COMPLETED'", done.get("id").asText()));
    }

    @Test
    void theUserCancelsANewOrAssignedOrderForEverythingAndAnAdminRefundsPartOfOneInProgressSettlingTheRestToThePaisa() {
        String serviceId = Orders.service(api, admin, PRICE, 5).get("id").asText();
        Person user = fundedUser(50_000);
        Person expert = expert();
        String first = Orders.order(api, user, serviceId).get("id").asText();
        JsonNode amountByUser = assertProblem(api.post("/orders/" + first + "/cancel", user.token(), Map.of("reason", "oops", "amount", 100)),
                400, "validation");
        assertFieldError(amountByUser, "amount");
        assertProblem(api.post("/orders/" + first + "/cancel", user.token(), Map.of()), 400, "validation");
        JsonNode cancelled = move("POST", "/orders/" + first + "/cancel", user.token(), Map.of("reason", "ordered twice"), 200);
        assertEquals("CANCELLED", cancelled.get("status").asText());
        assertEquals(PRICE, cancelled.get("refunded").asLong());
        assertEquals(50_000, Money.walletBalance(api, user.token()), "everything back");
        assertProblem(api.post("/orders/" + first + "/cancel", user.token(), Map.of("reason", "again")), 409, "illegal-order-move");

        String second = Orders.order(api, user, serviceId).get("id").asText();
        assign(second, expert);
        move("POST", "/orders/" + second + "/cancel", user.token(), Map.of("reason", "found another"), 200);
        assertEquals(50_000, Money.walletBalance(api, user.token()));
        assertEquals(0, Orders.moved("ORDER_EARNING", "order:" + second), "nothing kept, nothing earned");

        String third = Orders.order(api, user, serviceId).get("id").asText();
        assign(third, expert);
        move("POST", "/orders/" + third + "/start", expert.token(), null, 200);
        assertProblem(api.post("/orders/" + third + "/cancel", expert.token(), Map.of("reason", "busy")), 403, "forbidden");
        assertFieldError(assertProblem(api.post("/orders/" + third + "/cancel", admin, Map.of("reason", "x", "amount", PRICE + 1)), 422,
                "refund-exceeds-paid"), "amount");
        long pendingBefore = Orders.balance(expert.id(), "EARNINGS_PENDING");
        JsonNode partial = move("POST", "/orders/" + third + "/cancel", admin, Map.of("reason", "half done", "amount", 3_000), 200);
        assertEquals(3_000, partial.get("refunded").asLong());
        assertEquals(50_000 - PRICE + 3_000, Money.walletBalance(api, user.token()));
        long kept = PRICE - 3_000; // 9,347: fee 1,869.4 → 1,869, net 7,478
        assertEquals(3_000, Orders.moved("REFUND", "order:" + third + ":refund"));
        assertEquals(7_478, Orders.moved("ORDER_EARNING", "order:" + third));
        assertEquals(kept - 7_478, Orders.moved("PLATFORM_FEE", "order:" + third));
        assertEquals(pendingBefore + 7_478, Orders.balance(expert.id(), "EARNINGS_PENDING"));

        String fourth = Orders.order(api, user, serviceId).get("id").asText();
        JsonNode nothingBack = move("POST", "/orders/" + fourth + "/cancel", admin, Map.of("reason", "fraud", "amount", 0), 200);
        assertEquals(0, nothingBack.get("refunded").asLong());
        assertEquals(PRICE, Orders.moved("PLATFORM_FEE", "order:" + fourth), "no expert: what is kept is the platform's");
    }

    @Test
    void aReportIsReadByTheOrdersUserItsExpertAndAdminsAndByNobodyElse() {
        String serviceId = Orders.service(api, admin, PRICE, 5).get("id").asText();
        Person user = fundedUser(50_000);
        Person expert = expert();
        JsonNode order = delivered(user, expert, serviceId);
        String id = order.get("id").asText();
        List<String> reports = api.get("/orders/" + id + "/reports", user.token()).json().findValuesAsText("fileId");
        assertEquals(1, reports.size());
        String fileId = reports.get(0);
        for (String token : List.of(user.token(), expert.token(), admin)) {
            assertEquals(200, api.get("/files/" + fileId, token).status());
            assertEquals(200, api.get("/orders/" + id + "/reports", token).status());
            assertEquals(200, api.get("/orders/" + id, token).status());
        }
        Person stranger = fundedUser(1_000);
        Person otherExpert = expert();
        for (String token : List.of(stranger.token(), otherExpert.token())) {
            assertProblem(api.get("/files/" + fileId, token), 404, "not-found");
            assertProblem(api.get("/files/" + fileId + "/content", token), 404, "not-found");
            assertProblem(api.get("/orders/" + id + "/reports", token), 404, "not-found");
            assertProblem(api.get("/orders/" + id, token), 404, "not-found");
            assertProblem(api.post("/orders/" + id + "/accept", token, null), 404, "not-found");
        }
        assertFalse(api.get("/orders?size=100", stranger.token()).json().get("items").findValuesAsText("id").contains(id));
        assertTrue(api.get("/orders?size=100", expert.token()).json().get("items").findValuesAsText("id").contains(id));
        assertFalse(api.get("/orders?size=100", otherExpert.token()).json().get("items").findValuesAsText("id").contains(id));
        // an amended report by an admin: the same file cannot serve twice
        String amended = reportFile(admin);
        deliver(id, admin, amended);
        assertEquals(2, api.get("/orders/" + id + "/reports", user.token()).json().size());
        assertProblem(api.post("/orders/" + id + "/reports", admin, Map.of("fileId", amended)), 409, "file-in-use");
        assertEquals(200, api.get("/files/" + amended, user.token()).status());
    }

    @Test
    void anOrderADayFromItsDeadlineAlertsItsExpertAndAdminsOnceAndIsListedOverduePastIt() {
        String serviceId = Orders.service(api, admin, PRICE, 2).get("id").asText();
        Person user = fundedUser(50_000);
        Person expert = expert();
        String id = Orders.order(api, user, serviceId).get("id").asText();
        assign(id, expert);
        Eventually.until(WAIT, () -> Db.count("select count(*) from notification where account_id = ?::uuid and kind = 'ORDER_DEADLINE'"
                + " and channel = 'IN_APP'", expert.id()), n -> n > 0, "the deadline alert");
        JsonNode overdue = Eventually.until(WAIT, () -> api.get("/orders/" + id, admin).json(), o -> o.get("overdue").asBoolean(),
                "the order to be overdue");
        assertEquals("ASSIGNED", overdue.get("status").asText());
        assertTrue(api.get("/orders?overdue=true&size=100", admin).json().get("items").findValuesAsText("id").contains(id));
        assertFalse(api.get("/orders?overdue=true&status=COMPLETED&size=100", admin).json().get("items").findValuesAsText("id").contains(id));
        assertEquals(1, Db.count("select count(*) from notification where account_id = ?::uuid and kind = 'ORDER_DEADLINE' and channel = 'IN_APP'",
                expert.id()), "alerted once");
        String adminId = Accounts.me(api, admin).get("id").asText();
        assertEquals(1, Db.count("select count(*) from notification where account_id = ?::uuid and kind = 'ORDER_DEADLINE' and dedupe_key = ?",
                adminId, "order:" + id + ":deadline"));
        assertEquals(1, Db.count("select count(*) from audit_entry where entity_id = ? and action = 'ORDER_DEADLINE_ALERTED'", id));
    }

    @Test
    void nightlySettlementMovesTheEarningsOfCompletedAndPartlyRefundedOrdersToAvailableWithAStatementLineEach() {
        String serviceId = Orders.service(api, admin, PRICE, 30).get("id").asText();
        Person user = fundedUser(100_000);
        Person expert = expert();
        JsonNode done = delivered(user, expert, serviceId);
        move("POST", "/orders/" + done.get("id").asText() + "/accept", user.token(), null, 200);
        String partlyRefunded = Orders.order(api, user, serviceId).get("id").asText();
        assign(partlyRefunded, expert);
        move("POST", "/orders/" + partlyRefunded + "/cancel", admin, Map.of("reason", "half done", "amount", 3_000), 200);
        LocalDate day = LocalDate.now(ZoneId.of("Asia/Kolkata"));

        JsonNode execution = Jobs.run(api, admin, "nightly-settlement", Map.of("businessDate", day.toString()));
        assertEquals("COMPLETED", execution.get("status").asText(), execution::toString);
        assertEquals("BALANCED", execution.get("exitStatus").asText(), execution::toString);
        JsonNode statement = api.get("/settlements?date=" + day, expert.token()).json().get("items").get(0);
        assertEquals(2, statement.get("sessions").asInt(), "one line per order");
        assertEquals(PRICE + (PRICE - 3_000), statement.get("gross").asLong());
        assertEquals(NET + 7_478, statement.get("net").asLong());
        JsonNode earnings = api.get("/earnings/summary", expert.token()).json();
        assertEquals(0, earnings.get("pending").asLong());
        assertEquals(NET + 7_478, earnings.get("available").asLong());
        assertNull(Db.string("select session_id::text from settlement_line where order_id = ?::uuid", done.get("id").asText()));
    }
}
