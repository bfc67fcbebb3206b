package org.parley.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.parley.it.support.Accounts;
import org.parley.it.support.Accounts.Person;
import org.parley.it.support.Api;
import org.parley.it.support.Db;
import org.parley.it.support.SystemTest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.parley.it.support.Problems.assertFieldError;
import static org.parley.it.support.Problems.assertProblem;

/**
 * The public directory: filters, sorts and paging. Each test tags its experts with a fresh specialty so it sees
 * only its own, whatever else the database holds.
 */
class DirectoryIT extends SystemTest {

    private String tag;
    private Person cheapHindi;
    private Person priceyEnglish;
    private Person midBoth;

    @BeforeEach
    void threeApprovedExpertsAndOneApplicant() {
        String admin = Accounts.admin(api);
        tag = "tag" + UUID.randomUUID().toString().substring(0, 8);
        cheapHindi = Accounts.approvedExpert(api, admin, "Cheap Hindi", Accounts.profile("Tarot reader", List.of(tag, "tarot"),
                List.of("hi"), Map.of("CHAT", 500L)));
        priceyEnglish = Accounts.approvedExpert(api, admin, "Pricey English", Accounts.profile("Career mentor", List.of(tag),
                List.of("en"), Map.of("CHAT", 9000L, "VIDEO", 20000L)));
        midBoth = Accounts.approvedExpert(api, admin, "Mid Both", Accounts.profile("Listener", List.of(tag),
                List.of("en", "hi"), Map.of("VOICE", 3000L, "CHAT", 4000L)));
        Person applicant = Accounts.expertApplicant(api);
        api.put("/experts/me", applicant.token(), Accounts.profile("Not yet", List.of(tag), List.of("en"), Map.of("CHAT", 100L)));
        // Ratings and popularity come from reviews and sessions (later features); staged here directly.
        Db.exec("update expert_profile set rating = 4.80, review_count = 10, sessions_completed = 5 where account_id = ?::uuid", cheapHindi.id());
        Db.exec("update expert_profile set rating = 3.90, review_count = 3, sessions_completed = 50 where account_id = ?::uuid", priceyEnglish.id());
        Db.exec("update expert_profile set rating = 4.50, review_count = 7, sessions_completed = 20 where account_id = ?::uuid", midBoth.id());
        api.put("/experts/me/presence", midBoth.token(), Map.of("online", true));
    }

    private List<String> names(String query) {
        Api.Resp r = api.get("/experts?specialty=" + tag + query, null);
        assertEquals(200, r.status(), r::toString);
        List<String> names = new ArrayList<>();
        r.json().get("items").forEach(e -> names.add(e.get("name").asText()));
        return names;
    }

    @Test
    void listsOnlyApprovedExpertsSortedByRatingByDefault() {
        assertEquals(List.of("Cheap Hindi", "Mid Both", "Pricey English"), names(""));
    }

    @Test
    void filtersByLanguageOnlineMinRatingMaxRateAndText() {
        assertEquals(List.of("Cheap Hindi", "Mid Both"), names("&language=HI"));
        assertEquals(List.of("Mid Both"), names("&online=true"));
        assertEquals(List.of("Cheap Hindi", "Pricey English"), names("&online=false"));
        assertEquals(List.of("Cheap Hindi", "Mid Both"), names("&minRating=4.5"));
        assertEquals(List.of("Cheap Hindi", "Mid Both"), names("&maxRate=3000"));
        assertEquals(List.of("Pricey English"), names("&q=career"));
        assertEquals(List.of("Cheap Hindi"), names("&q=cheap&language=hi&maxRate=500"));
    }

    @Test
    void sortsByRateAndPopularity() {
        assertEquals(List.of("Cheap Hindi", "Mid Both", "Pricey English"), names("&sort=rate"));
        assertEquals(List.of("Pricey English", "Mid Both", "Cheap Hindi"), names("&sort=popularity"));
    }

    @Test
    void pagesCarryTotalsAndTheCardShape() {
        JsonNode page = api.get("/experts?specialty=" + tag + "&size=2&page=1", null).json();
        assertEquals(3, page.get("total").asInt());
        assertEquals(1, page.get("page").asInt());
        assertEquals(2, page.get("size").asInt());
        assertEquals(1, page.get("items").size());
        JsonNode card = page.get("items").get(0);
        assertEquals(priceyEnglish.id(), card.get("id").asText());
        for (String field : new String[]{"id", "name", "title", "specialties", "languages", "rates", "rating", "reviewCount", "online"}) {
            assertEquals(true, card.has(field), "card has " + field);
        }
        assertEquals(20000, card.get("rates").get("VIDEO").asLong());
        assertEquals(3.9, card.get("rating").asDouble(), 0.001);
    }

    @Test
    void badSortOrPagingIs400() {
        assertFieldError(assertProblem(api.get("/experts?sort=price", null), 400, "validation"), "sort");
        assertFieldError(assertProblem(api.get("/experts?size=1000", null), 400, "validation"), "size");
        assertFieldError(assertProblem(api.get("/experts?page=-1", null), 400, "validation"), "page");
        assertProblem(api.get("/experts?page=abc", null), 400, "validation");
        assertProblem(api.get("/experts?minRating=high", null), 400, "validation");
    }

    @Test
    void suspendedExpertsLeaveTheDirectory() {
        String admin = Accounts.admin(api);
        assertEquals(200, api.patch("/admin/accounts/" + midBoth.id(), admin, Map.of("status", "SUSPENDED")).status());
        assertEquals(List.of("Cheap Hindi", "Pricey English"), names(""));
        assertProblem(api.get("/experts/" + midBoth.id(), null), 404, null);
        assertEquals("false", Db.string("select online::text from expert_profile where account_id = ?::uuid", midBoth.id()));
    }
}
