package org.parley.it;

import org.junit.jupiter.api.Test;
import org.parley.it.support.Accounts;
import org.parley.it.support.Accounts.Person;
import org.parley.it.support.Api;
import org.parley.it.support.Concurrently;
import org.parley.it.support.Db;
import org.parley.it.support.Money;
import org.parley.it.support.Razorpay;
import org.parley.it.support.SystemTest;

import java.util.HashSet;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.parley.it.support.Problems.assertProblem;

/** Idempotency-Key on money-moving requests: replays, refusals of a reused key, and concurrency. */
class IdempotencyIT extends SystemTest {

    @Test
    void theSameKeyAndBodyReplayTheFirstResponseAndOpenOneDeposit() {
        Person p = Accounts.user(api);
        Razorpay.nextOrder(21_000);
        String key = Money.key();
        Api.Resp first = Money.postIdempotent(api, "/wallet/deposits", p.token(), key, Map.of("amount", 21_000));
        Api.Resp again = Money.postIdempotent(api, "/wallet/deposits", p.token(), key, Map.of("amount", 21_000));
        assertEquals(201, first.status(), first::toString);
        assertEquals(201, again.status());
        assertEquals(first.json(), again.json());
        assertEquals(1, Db.count("select count(*) from deposit where account_id = ?::uuid", p.id()));
    }

    @Test
    void theSameKeyWithADifferentBodyIs422AndChangesNothing() {
        Person p = Accounts.user(api);
        Razorpay.nextOrder(22_000);
        String key = Money.key();
        assertEquals(201, Money.postIdempotent(api, "/wallet/deposits", p.token(), key, Map.of("amount", 22_000)).status());
        assertProblem(Money.postIdempotent(api, "/wallet/deposits", p.token(), key, Map.of("amount", 23_000)), 422, "idempotency-key-reused");
        assertEquals(1, Db.count("select count(*) from deposit where account_id = ?::uuid", p.id()));
    }

    @Test
    void aRefusalIsStoredAndReplayedToo() {
        String admin = Accounts.admin(api);
        Person p = Accounts.user(api);
        String key = Money.key();
        Map<String, Object> overdraw = Map.of("amount", -500, "reason", "fee", "account", "WALLET");
        Api.Resp first = api.sendWithHeaders("POST", "/admin/wallets/" + p.id() + "/adjustments", overdraw, "application/json",
                "Authorization", "Bearer " + admin, "Idempotency-Key", key);
        assertProblem(first, 422, "insufficient-funds");
        Money.fund(api, admin, p.id(), "WALLET", 1_000);
        Api.Resp replay = api.sendWithHeaders("POST", "/admin/wallets/" + p.id() + "/adjustments", overdraw, "application/json",
                "Authorization", "Bearer " + admin, "Idempotency-Key", key);
        assertProblem(replay, 422, "insufficient-funds");
        assertEquals(first.body(), replay.body());
        assertEquals(1_000, Money.walletBalance(api, p.token()), "the replayed refusal did not debit now that funds exist");
    }

    @Test
    void twentyConcurrentRequestsWithOneKeyHaveOneEffect() throws Exception {
        Person p = Accounts.user(api);
        Razorpay.nextOrder(24_000);
        String key = Money.key();
        List<Api.Resp> responses = Concurrently.run(20,
                () -> Money.postIdempotent(api, "/wallet/deposits", p.token(), key, Map.of("amount", 24_000)));
        HashSet<String> ids = new HashSet<>();
        for (Api.Resp r : responses) {
            assertEquals(201, r.status(), r::toString);
            ids.add(r.json().get("id").asText());
        }
        assertEquals(1, ids.size(), "every response names the same deposit");
        assertEquals(1, Db.count("select count(*) from deposit where account_id = ?::uuid", p.id()));
    }

    @Test
    void keysAreScopedPerAccount() {
        Person a = Accounts.user(api);
        Person b = Accounts.user(api);
        String key = Money.key();
        Razorpay.nextOrder(26_000);
        Api.Resp forA = Money.postIdempotent(api, "/wallet/deposits", a.token(), key, Map.of("amount", 26_000));
        Razorpay.nextOrder(26_000);
        Api.Resp forB = Money.postIdempotent(api, "/wallet/deposits", b.token(), key, Map.of("amount", 26_000));
        assertEquals(201, forA.status());
        assertEquals(201, forB.status());
        assertEquals(1, Db.count("select count(*) from deposit where account_id = ?::uuid", a.id()));
        assertEquals(1, Db.count("select count(*) from deposit where account_id = ?::uuid", b.id()));
    }
}
