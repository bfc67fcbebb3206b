package org.parley.payment;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CashfreeGatewayTest {

    private static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");

    private static CashfreeGateway gateway() throws Exception {
        CashfreeGateway g = new CashfreeGateway();
        g.clientSecret = "secret";
        var clock = CashfreeGateway.class.getDeclaredField("clock");
        clock.setAccessible(true);
        clock.set(g, Clock.fixed(NOW, ZoneOffset.UTC));
        return g;
    }

    private static String sign(String timestamp, String body, String secret) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return Base64.getEncoder().encodeToString(mac.doFinal((timestamp + body).getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aWebhookSignedOverTimestampAndBodyWithinFiveMinutesIsCashfrees() throws Exception {
        CashfreeGateway g = gateway();
        String body = "{\"type\":\"PAYMENT_SUCCESS_WEBHOOK\"}";
        String ts = Long.toString(NOW.minusSeconds(299).toEpochMilli());
        assertTrue(g.verifyWebhook(body.getBytes(StandardCharsets.UTF_8), ts, sign(ts, body, "secret")));
        assertFalse(g.verifyWebhook(body.getBytes(StandardCharsets.UTF_8), ts, sign(ts, body, "other")), "another secret");
        assertFalse(g.verifyWebhook((body + " ").getBytes(StandardCharsets.UTF_8), ts, sign(ts, body, "secret")), "another body");
        String old = Long.toString(NOW.minusSeconds(301).toEpochMilli());
        assertFalse(g.verifyWebhook(body.getBytes(StandardCharsets.UTF_8), old, sign(old, body, "secret")), "too old");
        assertFalse(g.verifyWebhook(body.getBytes(StandardCharsets.UTF_8), null, sign(ts, body, "secret")));
    }

    @Test
    void rupeesWithTwoDecimalsAndPaiseConvertExactly() {
        assertEquals("600.00", CashfreeGateway.rupees(60_000).toPlainString());
        assertEquals("0.01", CashfreeGateway.rupees(1).toPlainString());
        assertEquals(65_050, CashfreeGateway.paise(JsonNodeFactory.instance.numberNode(new java.math.BigDecimal("650.50"))));
        assertEquals(65_000, CashfreeGateway.paise(JsonNodeFactory.instance.numberNode(650)));
        assertEquals(-1, CashfreeGateway.paise(JsonNodeFactory.instance.textNode("650.505")), "not whole paise");
    }

    @Test
    void statusesReduceToParleysThree() {
        assertEquals("CAPTURED", CashfreeGateway.paymentStatus("SUCCESS"));
        assertEquals("FAILED", CashfreeGateway.paymentStatus("USER_DROPPED"));
        assertEquals("PENDING", CashfreeGateway.paymentStatus("PENDING"));
        assertEquals("PROCESSED", CashfreeGateway.refundStatus("SUCCESS"));
        assertEquals("FAILED", CashfreeGateway.refundStatus("CANCELLED"));
        assertEquals("PENDING", CashfreeGateway.refundStatus("ONHOLD"));
    }
}
