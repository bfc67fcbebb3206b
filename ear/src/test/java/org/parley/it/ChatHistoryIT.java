package org.parley.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.parley.it.support.Accounts;
import org.parley.it.support.Accounts.Person;
import org.parley.it.support.Api;
import org.parley.it.support.Live;
import org.parley.it.support.Money;
import org.parley.it.support.SystemTest;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.parley.it.support.Problems.assertFieldError;
import static org.parley.it.support.Problems.assertProblem;

/** A session's chat history is read in pages: a reconnecting client catches up in steps. */
class ChatHistoryIT extends SystemTest {

    @Test
    void historyComesInPagesOfAtMostLimitLinesAfterTheGivenSeqAndSaysWhetherMoreFollow() {
        String admin = Accounts.admin(api);
        Live.fastBilling(api, admin, 60, 30);
        Person expert = Live.onlineExpert(api, admin, 10);
        Person user = Accounts.user(api);
        Money.fund(api, admin, user.id(), "WALLET", 10_000);
        String id = Live.start(api, user, expert, "CHAT").json().get("id").asText();
        for (int i = 1; i <= 105; i++) {
            Person from = i % 2 == 0 ? expert : user;
            Api.Resp r = api.post("/sessions/" + id + "/messages", from.token(), Map.of("body", "line " + i, "clientMsgId", "c" + i));
            assertEquals(201, r.status(), r::toString);
        }
        String path = "/sessions/" + id + "/messages";

        JsonNode byDefault = api.get(path, user.token()).json();
        assertEquals(100, byDefault.get("items").size(), "100 lines unless asked otherwise");
        assertEquals(true, byDefault.get("hasMore").asBoolean());
        JsonNode rest = api.get(path + "?afterSeq=100", user.token()).json();
        assertEquals(5, rest.get("items").size());
        assertEquals(101, rest.get("items").get(0).get("seq").asInt());
        assertEquals(false, rest.get("hasMore").asBoolean());

        JsonNode page = api.get(path + "?afterSeq=10&limit=3", expert.token()).json();
        assertEquals(3, page.get("items").size());
        assertEquals(11, page.get("items").get(0).get("seq").asInt());
        assertEquals("line 13", page.get("items").get(2).get("body").asText());
        assertEquals(true, page.get("hasMore").asBoolean());
        JsonNode last = api.get(path + "?afterSeq=102&limit=3", expert.token()).json();
        assertEquals(3, last.get("items").size());
        assertEquals(false, last.get("hasMore").asBoolean(), "exactly the last three lines: nothing more");

        assertEquals(105, api.get(path + "?limit=500", user.token()).json().get("items").size(), "500 is allowed");
        assertFieldError(assertProblem(api.get(path + "?limit=501", user.token()), 400, null), "limit");
        assertFieldError(assertProblem(api.get(path + "?limit=0", user.token()), 400, null), "limit");
        assertFieldError(assertProblem(api.get(path + "?afterSeq=-1", user.token()), 400, null), "afterSeq");
        assertProblem(api.get(path, Accounts.user(api).token()), 404, "not-found");
        api.post("/sessions/" + id + "/end", user.token(), null);
    }
}
