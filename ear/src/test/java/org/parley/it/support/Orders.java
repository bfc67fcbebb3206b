package org.parley.it.support;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Catalog, order and coupon set-up through the public API. On the test server an order "day" is 3 s (parley.orders.day-seconds). */
public final class Orders {

    public static final int DAY_SECONDS = 3;

    private Orders() {
    }

    /** The birth-chart form: name, date, time (optional), place, a choice, an optional number. */
    public static Map<String, Object> chartForm() {
        return Map.of("fields", List.of(
                field("fullName", "Full name", "TEXT", true, null),
                field("birthDate", "Date of birth", "DATE", true, null),
                field("birthTime", "Time of birth", "TIME", false, null),
                field("birthPlace", "Place of birth", "PLACE", true, null),
                field("focus", "Focus", "CHOICE", true, List.of("career", "love", "health")),
                field("age", "Age", "NUMBER", false, null)));
    }

    private static Map<String, Object> field(String name, String label, String type, boolean required, List<String> options) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("name", name);
        f.put("label", label);
        f.put("type", type);
        f.put("required", required);
        if (options != null) {
            f.put("options", options);
        }
        return f;
    }

    /** Answers that satisfy {@link #chartForm}. */
    public static Map<String, Object> answers() {
        return new HashMap<>(Map.of("fullName", "Asha Rao", "birthDate", "1990-04-23", "birthTime", "05:30",
                "birthPlace", "Varanasi, India", "focus", "career", "age", 36));
    }

    /** An active ASTROLOGY service at {@code price} paise, delivered in {@code days} days, with the birth-chart form. */
    public static JsonNode service(Api api, String admin, long price, int days) {
        Api.Resp r = api.post("/admin/catalog/services", admin, Map.of("category", "astrology", "name", "Chart reading " + UUID.randomUUID(),
                "description", "A written reading of the birth chart", "price", price, "deliveryDays", days, "formSchema", chartForm()));
        assertEquals(201, r.status(), r::toString);
        return r.json();
    }

    public static Api.Resp place(Api api, Accounts.Person user, String serviceId, Map<String, Object> form, String coupon) {
        Map<String, Object> body = new HashMap<>();
        body.put("serviceId", serviceId);
        body.put("formData", form);
        if (coupon != null) {
            body.put("couponCode", coupon);
        }
        return Money.postIdempotent(api, "/orders", user.token(), Money.key(), body);
    }

    /** An order placed: 201 and its view. */
    public static JsonNode order(Api api, Accounts.Person user, String serviceId) {
        Api.Resp r = place(api, user, serviceId, answers(), null);
        assertEquals(201, r.status(), r::toString);
        return r.json();
    }

    /** A coupon created by the admin: {@code terms} over a window from an hour ago to a day ahead, per-user limit 1 unless given. */
    public static JsonNode coupon(Api api, String admin, Map<String, Object> terms) {
        Map<String, Object> body = new HashMap<>(Map.of("code", "IT" + UUID.randomUUID().toString().substring(0, 8),
                "validFrom", Instant.now().minusSeconds(3600).toString(), "validTo", Instant.now().plusSeconds(86_400).toString(),
                "appliesTo", "ORDERS"));
        body.putAll(terms);
        Api.Resp r = api.post("/admin/coupons", admin, body);
        assertEquals(201, r.status(), r::toString);
        return r.json();
    }

    /** The sum of the transfers of {@code kind} named {@code reference}. */
    public static long moved(String kind, String reference) {
        return Db.count("select coalesce(sum(amount), 0) from ledger_transfer where kind = ? and reference = ?", kind, reference);
    }

    /** What an account of {@code owner} holds, read from the ledger. */
    public static long balance(String owner, String kind) {
        return Db.count("select coalesce((select balance from ledger_account where owner_id = ?::uuid and kind = ?), 0)", owner, kind);
    }

    /** The derived balance of a system account (what flowed in less what flowed out). */
    public static long systemBalance(String kind) {
        return Db.count("""
                select coalesce(sum(case when t.to_account = a.id then t.amount else -t.amount end), 0)
                from ledger_account a join ledger_transfer t on a.id in (t.from_account, t.to_account) where a.kind = ? and a.owner_id is null""", kind);
    }
}
