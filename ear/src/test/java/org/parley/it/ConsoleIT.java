package org.parley.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import com.github.tomakehurst.wiremock.client.WireMock;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.Wait;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.parley.it.support.Accounts;
import org.parley.it.support.Accounts.Person;
import org.parley.it.support.Api;
import org.parley.it.support.Bookings;
import org.parley.it.support.Db;
import org.parley.it.support.Eventually;
import org.parley.it.support.Live;
import org.parley.it.support.LiveClient;
import org.parley.it.support.Money;
import org.parley.it.support.Orders;
import org.parley.it.support.Razorpay;
import org.parley.it.support.SystemTest;
import org.parley.it.support.TestEnvironment;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.parley.it.support.Problems.assertFieldError;
import static org.parley.it.support.Problems.assertProblem;

/**
 * The operator console at /console/ in a real browser: Debian's headless Chromium driven through its chromedriver
 * (Selenium). Signs in as the admin, checks the dashboard against the API, approves an expert and a payout, refunds a
 * session, changes a setting (and sees a refused one's errors), is refused to a non-admin, and shows a stored
 * {@code <script>} as text. Screenshots of each page go to {@code target/console-screenshots}. Where no chromedriver is
 * installed the class is skipped, except on CI (CI=true), whose {@code .ci/run} installs Chromium, where it fails.
 */
class ConsoleIT extends SystemTest {

    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static WebDriver browser;
    private String admin;

    @BeforeAll
    static void startBrowser() throws Exception {
        boolean present = Files.isExecutable(CHROMEDRIVER) && Files.isExecutable(Path.of("/usr/bin/chromium"));
        if (!"true".equals(System.getenv("CI"))) {
            Assumptions.assumeTrue(present, "no /usr/bin/chromedriver: apt-get install chromium chromium-driver to run the console's browser tests");
        }
        assertTrue(present, "CI installs chromium and chromium-driver (.ci/run)");
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--window-size=1400,1000",
                "--user-data-dir=" + Files.createTempDirectory("parley-chromium"));
        browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build(), options);
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
            browser = null;
        }
    }

    @BeforeEach
    void signInApi() {
        admin = Accounts.admin(api);
    }

    @AfterEach
    void signOutOfTheConsole() {
        if (browser != null) {
            browser.get(Api.BASE + "/console/");
            ((JavascriptExecutor) browser).executeScript("sessionStorage.clear()");
        }
    }

    /** Waits out a page being drawn again: an element found just before the console replaced it is looked up afresh. */
    private Wait<WebDriver> waiting() {
        return new WebDriverWait(browser, WAIT).ignoring(StaleElementReferenceException.class);
    }

    private void signIn(String email, String password) {
        browser.get(Api.BASE + "/console/");
        ((JavascriptExecutor) browser).executeScript("sessionStorage.clear()");
        browser.navigate().refresh();
        waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("email"))).sendKeys(email);
        browser.findElement(By.id("password")).sendKeys(password);
        browser.findElement(By.id("sign-in-button")).click();
    }

    private void signInAsAdmin() {
        signIn(System.getProperty("parley.it.admin.email"), System.getProperty("parley.it.admin.password"));
        waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("nav")));
    }

    private void open(String hash) {
        browser.get(Api.BASE + "/console/" + hash);
        browser.navigate().refresh();
    }

    private WebElement element(String id) {
        return waiting().until(ExpectedConditions.presenceOfElementLocated(By.id(id)));
    }

    private void screenshot(String name) throws Exception {
        File shot = ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void anAdminSignsInAndTheDashboardShowsTheApisFiguresAndRefreshesThem() throws Exception {
        signInAsAdmin();
        for (String figure : List.of("onlineExperts", "liveSessions", "queuedUsers", "connectedSockets", "sessionsStartedLastHour")) {
            Eventually.until(WAIT, () -> List.of(element("rt-" + figure).getText(), api.get("/admin/metrics/realtime", admin).json().get(figure).asText()),
                    pair -> pair.get(0).equals(pair.get(1)), figure + " as the API says");
        }
        Person user = Accounts.user(api);
        Money.fund(api, admin, user.id(), "WALLET", 5_000);
        Person expert = Live.onlineExpert(api, admin, 1_000);
        long before = Long.parseLong(element("rt-liveSessions").getText());
        assertEquals(201, Live.start(api, user, expert, "CHAT").status());
        waiting().until(d -> Long.parseLong(d.findElement(By.id("rt-liveSessions")).getText()) > before);
        JsonNode today = api.get("/admin/metrics/daily", admin).json().get("items").get(29);
        WebElement firstRow = element("daily").findElement(By.cssSelector("tbody tr"));
        assertEquals(today.get("date").asText(), firstRow.findElements(By.tagName("td")).get(0).getText());
        assertTrue(element("chart").findElements(By.tagName("canvas")).size() > 0, "the chart is drawn");
        screenshot("dashboard");

        long grossBefore = newestMonth().get("gross").asLong();
        new Select(element("revenue-granularity")).selectByValue("month");
        waiting().until(d -> d.getCurrentUrl().endsWith("granularity=month")
                && d.findElement(By.cssSelector("#revenue thead th")).getText().equals("month from"));
        List<WebElement> newest = element("revenue").findElements(By.cssSelector("tbody tr")).get(0).findElements(By.tagName("td"));
        JsonNode month = newestMonth();
        assertEquals(month.get("start").asText(), newest.get(0).getText(), "this month's bucket first");
        long shown = Long.parseLong(newest.get(1).getText().replaceAll("[^0-9]", ""));
        assertTrue(grossBefore <= shown && shown <= month.get("gross").asLong(), "the month's gross as the API says: " + shown + " in ["
                + grossBefore + ", " + month.get("gross") + "]");
        assertTrue(element("revenue-chart").findElements(By.tagName("canvas")).size() > 0, "the revenue chart is drawn");
        ((JavascriptExecutor) browser).executeScript("document.getElementById('revenue-chart').scrollIntoView()");
        screenshot("dashboard-revenue");
    }

    /** This month's revenue bucket as the API gives it. */
    private JsonNode newestMonth() {
        JsonNode items = api.get("/admin/revenue?granularity=month&from=" + java.time.LocalDate.now().minusDays(365), admin).json().get("items");
        return items.get(items.size() - 1);
    }

    @Test
    void anAdminApprovesAnExpertApprovesAPayoutAndRefundsASessionFromTheConsole() throws Exception {
        Person applicant = Accounts.expertApplicant(api);
        for (String step : List.of("DOCUMENTS_VERIFIED", "CALL_SCHEDULED", "CALL_DONE")) {
            assertEquals(200, api.put("/admin/expert-applications/" + applicant.id(), admin, Map.of("status", step)).status());
        }
        signInAsAdmin();
        open("#experts?status=CALL_DONE");
        element("advance-" + applicant.id()).click();
        Eventually.until(WAIT, () -> Accounts.me(api, applicant.token()).get("expertStatus").asText(), "APPROVED"::equals, "the approval");
        screenshot("experts");

        Money.fund(api, admin, applicant.id(), "EARNINGS_AVAILABLE", 60_000);
        String payoutId = Money.postIdempotent(api, "/payouts", applicant.token(), Money.key(), Map.of("amount", 50_000)).json().get("id").asText();
        Razorpay.payoutAnswers(payoutId, "processed");
        open("#payouts?status=REQUESTED");
        element("approve-" + payoutId).click();
        Eventually.until(WAIT, () -> api.get("/payouts", applicant.token()).json().get("items").get(0).get("status").asText(), "PAID"::equals,
                "the payout paid");
        screenshot("payouts");

        Live.Ended chat = Live.endedChat(api, admin, 5_000, 1_000);
        Person user = chat.user();
        String sessionId = chat.sessionId();
        open("#sessions?live=false");
        element("refund-amount-" + sessionId).sendKeys("400");
        element("refund-reason-" + sessionId).sendKeys("line dropped");
        element("refund-" + sessionId).click();
        Eventually.until(WAIT, () -> Live.session(api, user.token(), sessionId).get("amountRefunded").asLong(), n -> n == 400, "the refund");
        assertEquals(5_000 - 1_000 + 400, Money.walletBalance(api, user.token()));
        screenshot("sessions");
    }

    @Test
    void anAdminTakesAnswersAndResolvesATicketAndItsStaffNoteNeverReachesTheRequester() throws Exception {
        Person user = Accounts.user(api);
        String description = "My wallet shows <b>nothing</b> <img src=x onerror=\"window.pwned=3\">";
        Api.Resp created = api.post("/support/tickets", user.token(), Map.of("subject", "Top-up missing", "description", description,
                "category", "BILLING"));
        assertEquals(201, created.status(), created::toString);
        String ticketId = created.json().get("id").asText();
        signInAsAdmin();
        open("#support?status=OPEN");
        element("ticket-" + ticketId).click();
        waiting().until(d -> d.findElement(By.cssSelector("#page h2")).getText().equals("Ticket #" + created.json().get("number").asText()));
        assertEquals(description, element("page").findElement(By.cssSelector(".facts dd.text")).getText(), "the description as text");
        assertEquals(0, browser.findElements(By.cssSelector("#page img, #page b")).size(), "no element made from the description");

        element("take-ticket").click();
        String adminId = Accounts.me(api, admin).get("id").asText();
        waiting().until(d -> d.findElement(By.id("ticket-assignee")).getText().equals(adminId));
        assertEquals(adminId, api.get("/support/tickets/" + ticketId, admin).json().path("assigneeId").asText(), "taken");

        // the open page hears the ticket over /ws/support: the requester's new line and typing appear without a reload
        waiting().until(d -> d.findElement(By.id("ticket-live")).getText().startsWith("Live"));
        assertEquals(201, api.post("/support/tickets/" + ticketId + "/messages", user.token(), Map.of("body", "Any news? It has been two days.")).status());
        waiting().until(d -> d.findElements(By.cssSelector("#ticket-messages li")).stream().anyMatch(li -> li.getText().contains("Any news?")));
        try (LiveClient requester = LiveClient.open("ws://127.0.0.1:8180/ws/support?access_token=" + user.token(), null, null)) {
            requester.send(Map.of("type", "typing", "ticketId", ticketId));
            waiting().until(d -> d.findElement(By.id("ticket-typing")).getText().equals("The requester is typing…"));
        }
        assertEquals(1, browser.findElements(By.cssSelector("#ticket-messages li")).size(), "the line shown once");

        reply("Refund pending with the bank; checked the gateway.", true);
        waiting().until(d -> d.findElements(By.cssSelector("#ticket-messages li.internal")).size() == 1);
        reply("Your top-up is on its way back to your wallet.", false);
        waiting().until(d -> d.findElements(By.cssSelector("#ticket-messages li")).size() == 3);
        new Select(element("ticket-move")).selectByValue("RESOLVED");
        element("move-ticket").click();
        waiting().until(d -> d.findElement(By.id("ticket-status-now")).getText().equals("RESOLVED"));
        screenshot("ticket");

        JsonNode seen = api.get("/support/tickets/" + ticketId, user.token()).json();
        assertEquals("RESOLVED", seen.get("status").asText());
        assertFalse(seen.get("firstRespondedAt").isNull(), "the reply is the first response");
        JsonNode messages = api.get("/support/tickets/" + ticketId + "/messages", user.token()).json().get("items");
        assertEquals(2, messages.size(), "the requester reads their line and the reply, never the staff note: " + messages);
        assertEquals("Your top-up is on its way back to your wallet.", messages.get(1).get("body").asText());
        assertNull(((JavascriptExecutor) browser).executeScript("return window.pwned === undefined ? null : window.pwned;"));
    }

    /**
     * Types {@code text} into the open ticket's reply box and sends it (a staff note or not); done afresh on the page
     * drawn again if the console redraws it meanwhile (a stale element), so a redraw loses neither text nor the click.
     */
    private void reply(String text, boolean staffNote) {
        waiting().until(d -> {
            WebElement body = d.findElement(By.id("reply-body"));
            if (!text.equals(body.getDomProperty("value"))) {
                body.clear();
                body.sendKeys(text);
            }
            WebElement note = d.findElement(By.id("reply-internal"));
            if (note.isSelected() != staffNote) {
                note.click();
            }
            d.findElement(By.id("send-reply")).click();
            return true;
        });
    }

    @Test
    void anAdminActsOnAReportFromTheModerationQueueAndTheReportedExpertIsWarned() throws Exception {
        Live.Ended chat = Live.endedChat(api, admin, 5_000, 1_000);
        Person user = chat.user();
        Person expert = chat.expert();
        String sessionId = chat.sessionId();
        Api.Resp reported = api.post("/reports", user.token(), Map.of("targetType", "SESSION", "targetId", sessionId,
                "reason", "Rude and pushy throughout the session", "category", "HARASSMENT"));
        assertEquals(201, reported.status(), reported::toString);
        String reportId = reported.json().get("id").asText();

        signInAsAdmin();
        open("#moderation?status=OPEN");
        new Select(element("report-action-" + reportId)).selectByValue("WARN");
        element("report-reason-" + reportId).sendKeys("Be courteous to users");
        element("act-" + reportId).click();
        Eventually.until(WAIT, () -> api.get("/reports", user.token()).json().get("items").get(0).get("status").asText(), "ACTION_TAKEN"::equals,
                "the report closed with an action");
        JsonNode actions = api.get("/admin/moderation/actions?accountId=" + expert.id(), admin).json().get("items");
        assertEquals(1, actions.size(), actions::toString);
        assertEquals("WARN", actions.get(0).get("action").asText());
        assertEquals(reportId, actions.get(0).get("reportId").asText());
        assertEquals("Be courteous to users", actions.get(0).get("reason").asText());
        open("#moderation?status=ACTION_TAKEN");
        waiting().until(d -> d.findElement(By.cssSelector("#reports tr[data-id='" + reportId + "']")).isDisplayed());
        screenshot("moderation-acted");
    }

    @Test
    void anAdminCancelsABookingAndRefundsAnOrderFromTheConsoleAndTheMoneyGoesBack() throws Exception {
        Person expert = Bookings.expert(api, admin, 100);
        Person user = Bookings.user(api, admin, 100_000);
        String bookingId = Bookings.pendingUnderCurrentSettings(api, admin, user, expert, 30).get("id").asText();
        assertEquals(100_000 - 3_000, Money.walletBalance(api, user.token()), "the hold taken");
        String serviceId = Orders.service(api, admin, 12_000, 30).get("id").asText();
        String orderId = Orders.order(api, user, serviceId).get("id").asText();
        assertEquals(100_000 - 3_000 - 12_000, Money.walletBalance(api, user.token()));

        signInAsAdmin();
        open("#bookings?status=PENDING");
        element("booking-reason-" + bookingId).sendKeys("expert unwell");
        element("cancel-booking-" + bookingId).click();
        JsonNode cancelled = Bookings.awaitStatus(api, user.token(), bookingId, "CANCELLED", WAIT);
        assertEquals("ADMIN", cancelled.get("cancelledBy").asText());
        assertEquals(3_000, cancelled.get("released").asLong());
        screenshot("bookings-cancelled");

        open("#orders?status=NEW");
        element("order-reason-" + orderId).sendKeys("service withdrawn");
        element("cancel-order-" + orderId).click();
        JsonNode order = Eventually.until(WAIT, () -> api.get("/orders/" + orderId, user.token()).json(),
                o -> "CANCELLED".equals(o.get("status").asText()), "the order cancelled");
        assertEquals(12_000, order.get("refunded").asLong());
        assertEquals(100_000, Money.walletBalance(api, user.token()), "everything back");
        screenshot("orders-refunded");
    }

    @Test
    void aFailedSendIsListedForTheAdminAndABroadcastStartedFromTheConsoleReachesItsAudience() throws Exception {
        // MSG91 refuses this user's SMS (a 4xx fails at once: sending it again cannot help)
        Person user = Accounts.user(api);
        String mobile = "919" + String.format("%09d", java.util.concurrent.ThreadLocalRandom.current().nextInt(1_000_000_000));
        assertEquals(200, api.put("/me/profile", user.token(), Map.of("name", "Phone User", "phone", "+91 " + mobile.substring(2))).status());
        TestEnvironment.providers().stubFor(WireMock.post(WireMock.urlEqualTo("/api/v5/flow"))
                .withRequestBody(WireMock.matchingJsonPath("$.recipients[0].mobiles", WireMock.equalTo(mobile)))
                .willReturn(WireMock.aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                        .withBody("{\"type\":\"error\",\"message\":\"invalid template\"}")));
        Money.paidDeposit(api, user, 20_000, null);
        String failedId = Eventually.until(Duration.ofSeconds(30), () -> Db.string("select id::text from notification where account_id = ?::uuid"
                + " and channel = 'SMS' and status = 'FAILED'", user.id()), Objects::nonNull, "the refused SMS failed");
        String error = Db.string("select last_error from notification where id = ?::uuid", failedId);
        Person expert = Live.onlineExpert(api, admin, 1_000);
        signInAsAdmin();
        open("#notifications?status=FAILED&channel=SMS");
        WebElement row = waiting().until(d -> d.findElement(By.cssSelector("#outbox tr[data-id='" + failedId + "']")));
        assertTrue(row.getText().contains("DEPOSIT_PAID") && row.getText().contains(user.id()), row.getText());
        assertTrue(row.getText().contains(error), row.getText() + " shows " + error);

        String title = "Console broadcast " + java.util.UUID.randomUUID();
        new Select(element("broadcast-audience")).selectByValue("EXPERTS");
        element("broadcast-title").sendKeys(title);
        element("broadcast-body").sendKeys("Payouts run early this week.");
        element("start-broadcast").click();
        String execution = waiting().until(d -> d.findElement(By.id("broadcast-execution"))).getText().replace("execution ", "");
        screenshot("notifications-broadcast");
        JsonNode done = Eventually.until(Duration.ofSeconds(60), () -> api.get("/admin/batch/executions/" + execution, admin).json(),
                e -> "COMPLETED".equals(e.path("status").asText()), "the broadcast's execution");
        assertEquals("broadcast", done.get("jobName").asText());
        assertEquals(1, Db.count("select count(*) from notification where account_id = ?::uuid and channel = 'IN_APP' and title = ?", expert.id(), title),
                "the expert told once");
        assertEquals(0, Db.count("select count(*) from notification where account_id = ?::uuid and title = ?", user.id(), title), "users are not experts");
    }

    @Test
    void anAdminDefinesAServiceWithItsFormAndACouponInTheConsoleAndAUserOrdersWithBothUntilTheyAreWithdrawn() throws Exception {
        String name = "Console reading " + UUID.randomUUID();
        String category = "console-" + UUID.randomUUID().toString().substring(0, 8); // its own, as the catalog grows past a page
        String code = "CON" + UUID.randomUUID().toString().substring(0, 6).toUpperCase();
        signInAsAdmin();
        open("#catalog");
        element("service-category").sendKeys(category);
        element("service-name").sendKeys(name);
        element("service-price").sendKeys("15000");
        WebElement days = element("service-days");
        days.clear();
        days.sendKeys("5");
        element("service-add-field").click();
        List<WebElement> rows = browser.findElements(By.cssSelector("#service-fields .form-field"));
        assertEquals(2, rows.size(), "the suggested date of birth and the added field");
        rows.get(1).findElement(By.className("field-name")).sendKeys("question");
        rows.get(1).findElement(By.className("field-label")).sendKeys("Your question");
        rows.get(1).findElement(By.className("field-required")).click();
        element("service-create").click();
        JsonNode service = Eventually.until(WAIT, () -> serviceNamed(category, name), Objects::nonNull, "the service created from the console");
        assertEquals(15_000, service.get("price").asLong());
        assertEquals(5, service.get("deliveryDays").asInt());
        JsonNode fields = service.get("formSchema").get("fields");
        assertEquals("birthDate DATE true|question TEXT false", fields.get(0).get("name").asText() + " " + fields.get(0).get("type").asText() + " "
                + fields.get(0).get("required").asBoolean() + "|" + fields.get(1).get("name").asText() + " " + fields.get(1).get("type").asText()
                + " " + fields.get(1).get("required").asBoolean());
        String serviceId = service.get("id").asText();
        waiting().until(d -> d.findElement(By.id("services-shown")).getText().startsWith("1 of 1"));
        screenshot("catalog");

        open("#promotions");
        element("coupon-code").sendKeys(code);
        new Select(element("coupon-kind")).selectByValue("FLAT");
        element("coupon-value").sendKeys("2000");
        // datetime-local inputs take the browser's local time; typed keys depend on its locale, so the value is set
        DateTimeFormatter local = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm");
        String zone = (String) ((JavascriptExecutor) browser).executeScript("return Intl.DateTimeFormat().resolvedOptions().timeZone");
        ZonedDateTime now = ZonedDateTime.now(ZoneId.of(zone));
        ((JavascriptExecutor) browser).executeScript("arguments[0].value = arguments[1]; arguments[2].value = arguments[3];",
                element("coupon-from"), now.minusHours(1).format(local), element("coupon-to"), now.plusDays(2).format(local));
        element("coupon-create").click();
        JsonNode coupon = Eventually.until(WAIT, () -> couponCoded(code), Objects::nonNull, "the coupon created from the console");
        assertEquals("FLAT", coupon.get("kind").asText());
        assertEquals(2_000, coupon.get("value").asLong());
        screenshot("promotions");

        Person user = Bookings.user(api, admin, 50_000);
        Api.Resp placed = Orders.place(api, user, serviceId, Map.of("birthDate", "1990-04-23"), code.toLowerCase());
        assertEquals(201, placed.status(), placed::toString);
        assertEquals(13_000, placed.json().get("amount").asLong(), "the catalog's price less the coupon's 2,000");
        assertFieldError(assertProblem(Orders.place(api, user, serviceId, Map.of("question", "When?"), null), 400, "validation"),
                "formData.birthDate");

        open("#promotions");
        element("coupon-toggle-" + coupon.get("id").asText()).click();
        Eventually.until(WAIT, () -> couponCoded(code).get("active").asBoolean(), active -> !active, "the coupon switched off");
        open("#catalog?category=" + category);
        element("service-toggle-" + serviceId).click();
        Eventually.until(WAIT, () -> serviceNamed(category, name).get("active").asBoolean(), active -> !active, "the service withdrawn");
        assertEquals(0, api.get("/catalog/services?category=" + category, null).json().get("total").asLong(), "a withdrawn service is not offered");
        assertEquals(50_000 - 13_000, Money.walletBalance(api, user.token()), "one order paid, nothing else taken");
    }

    /** The service named {@code name} in {@code category} as an admin sees the catalog (inactive ones too), or null. */
    private JsonNode serviceNamed(String category, String name) {
        for (JsonNode s : api.get("/catalog/services?category=" + category, admin).json().get("items")) {
            if (s.get("name").asText().equals(name)) {
                return s;
            }
        }
        return null;
    }

    private JsonNode couponCoded(String code) {
        for (JsonNode c : api.get("/admin/coupons?size=100", admin).json().get("items")) {
            if (c.get("code").asText().equalsIgnoreCase(code)) {
                return c;
            }
        }
        return null;
    }

    @Test
    void aSettingIsChangedFromTheConsoleAndARefusedOneShowsWhy() throws Exception {
        signInAsAdmin();
        try {
            open("#settings");
            WebElement low = element("setting-lowBalanceMinutes");
            low.clear();
            low.sendKeys("4");
            element("save-settings").click();
            Eventually.until(WAIT, () -> api.get("/admin/config", admin).json().get("lowBalanceMinutes").asInt(), n -> n == 4, "the saved setting");
            WebElement again = element("setting-lowBalanceMinutes");
            waiting().until(d -> "4".equals(d.findElement(By.id("setting-lowBalanceMinutes")).getDomProperty("value")));
            again = element("setting-lowBalanceMinutes");
            again.clear();
            again.sendKeys("9999");
            element("save-settings").click();
            waiting().until(d -> d.findElement(By.id("settings-errors")).getText().contains("lowBalanceMinutes"));
            assertEquals(4, api.get("/admin/config", admin).json().get("lowBalanceMinutes").asInt(), "nothing saved");
            screenshot("settings");
        } finally {
            assertEquals(200, api.patch("/admin/config", admin, Map.of("lowBalanceMinutes", 3)).status());
        }
    }

    @Test
    void aNonAdminCannotUseTheConsoleWhatItsPagesAskTheApiIsRefused() {
        Person user = Accounts.user(api);
        signIn(user.email(), Accounts.PASSWORD);
        waiting().until(d -> d.findElement(By.id("message")).getText().contains("for administrators"));
        assertFalse(browser.findElement(By.id("nav")).isDisplayed());
        ((JavascriptExecutor) browser).executeScript("sessionStorage.setItem('parley.console.token', arguments[0])", user.token());
        open("#accounts");
        waiting().until(d -> d.findElement(By.id("message")).getText().contains("ADMIN"));
        assertEquals(0, browser.findElements(By.cssSelector("#accounts tbody tr")).size(), "no account listed");
        assertEquals(403, api.get("/admin/accounts", user.token()).status());
        assertEquals(403, api.get("/admin/metrics/realtime", user.token()).status());
    }

    @Test
    void aStoredNameWithMarkupIsShownAsTextAndNeverRuns() throws Exception {
        String name = "<script>window.pwned=1</script><img src=x onerror=\"window.pwned=2\">";
        String email = Accounts.uniqueEmail("markup");
        assertEquals(201, api.post("/auth/register", null, Map.of("email", email, "password", Accounts.PASSWORD, "name", name, "role", "USER")).status());
        signInAsAdmin();
        open("#accounts?q=" + java.net.URLEncoder.encode(email, java.nio.charset.StandardCharsets.UTF_8));
        WebElement cell = waiting().until(d -> d.findElement(By.cssSelector("#accounts tbody tr td")));
        assertEquals(name, cell.getText());
        assertEquals(0, browser.findElements(By.cssSelector("#accounts img")).size(), "no element made from the name");
        assertNull(((JavascriptExecutor) browser).executeScript("return window.pwned === undefined ? null : window.pwned;"));
        screenshot("accounts");
    }

    @Test
    void everyPageOfTheConsoleOpensForAnAdmin() throws Exception {
        signInAsAdmin();
        for (String page : List.of("orders", "catalog", "promotions", "bookings", "support", "moderation", "notifications", "batch", "audit")) {
            open("#" + page);
            try {
                waiting().until(d -> d.findElement(By.cssSelector("#page h2")).isDisplayed() && !d.findElement(By.cssSelector("#page h2")).getText().isBlank());
            } catch (org.openqa.selenium.TimeoutException e) {
                screenshot(page + "-failed");
                throw new AssertionError(page + " did not open; the console says: " + browser.findElement(By.id("message")).getText()
                        + " / " + ((JavascriptExecutor) browser).executeScript("return document.getElementById('page').outerHTML.substring(0, 300)"), e);
            }
            assertFalse(browser.findElement(By.id("message")).getAttribute("class").contains("error"),
                    page + ": " + browser.findElement(By.id("message")).getText());
            screenshot(page);
        }
        open("#audit");
        element("audit-verify").click();
        waiting().until(d -> d.findElement(By.id("audit-verdict")).getText().contains("intact"));
        Api.Resp page = api.get(Api.BASE + "/console/", null);
        assertTrue(page.headers().firstValue("Content-Security-Policy").orElse("").contains("script-src 'self'"));
    }
}
