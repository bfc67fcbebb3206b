package org.parley.it;

import org.junit.jupiter.api.Test;
import org.parley.it.support.Accounts;
import org.parley.it.support.Accounts.Person;
import org.parley.it.support.Api;
import org.parley.it.support.Concurrently;
import org.parley.it.support.Db;
import org.parley.it.support.Money;
import org.parley.it.support.SystemTest;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.parley.it.support.Problems.assertProblem;

/** Admin adjustments, and the ledger's refusal to overdraw under heavy concurrency. */
class AdjustmentsIT extends SystemTest {

    @Test
    void twoHundredConcurrentDebitsAgainstAWalletThatAffordsTenLeaveExactlyZero() throws Exception {
        String admin = Accounts.admin(api);
        Person p = Accounts.user(api);
        Money.fund(api, admin, p.id(), "WALLET", 10_000);
        List<Integer> statuses = Concurrently.run(200, () -> Money.adjust(api, admin, p.id(), "WALLET", -1_000).status());
        assertEquals(10, statuses.stream().filter(s -> s == 201).count(), statuses::toString);
        assertEquals(190, statuses.stream().filter(s -> s == 422).count(), statuses::toString);
        assertEquals(0, Money.walletBalance(api, p.token()));
        assertEquals(0, Db.count("select balance from ledger_account where owner_id = ?::uuid and kind = 'WALLET'", p.id()));
        assertEquals(11, api.get("/wallet/transactions?type=ADJUSTMENT&size=100", p.token()).json().get("total").asInt(),
                "the funding and exactly ten debits");
    }

    @Test
    void adjustmentsAreAuditedAndShowInTheHistoryWithBalanceAfter() {
        String admin = Accounts.admin(api);
        Person p = Accounts.user(api);
        Api.Resp credit = Money.adjust(api, admin, p.id(), "WALLET", 7_500);
        assertEquals(201, credit.status(), credit::toString);
        assertEquals(7_500, credit.json().get("balanceAfter").asLong());
        Api.Resp debit = Money.adjust(api, admin, p.id(), "WALLET", -2_500);
        assertEquals(5_000, debit.json().get("balanceAfter").asLong());
        var items = api.get("/wallet/transactions", p.token()).json().get("items");
        assertEquals("DEBIT", items.get(0).get("direction").asText());
        assertEquals(5_000, items.get(0).get("balanceAfter").asLong());
        assertEquals("CREDIT", items.get(1).get("direction").asText());
        assertEquals(2, Db.count("select count(*) from audit_entry where action = 'BALANCE_ADJUSTED' and entity_id = ?", p.id()));
    }

    @Test
    void badAdjustmentsAreRefused() {
        String admin = Accounts.admin(api);
        Person p = Accounts.user(api);
        assertProblem(Money.adjust(api, admin, p.id(), "WALLET", -1), 422, "insufficient-funds");
        assertProblem(Money.adjust(api, admin, p.id(), "WALLET", 0), 422, "zero-adjustment");
        assertProblem(Money.adjust(api, admin, p.id(), "PLATFORM_REVENUE", 100), 422, "account-not-adjustable");
        assertProblem(Money.adjust(api, admin, java.util.UUID.randomUUID().toString(), "WALLET", 100), 404, "not-found");
        assertProblem(Money.adjust(api, p.token(), p.id(), "WALLET", 100), 403, "forbidden");
        assertProblem(api.sendWithHeaders("POST", "/admin/wallets/" + p.id() + "/adjustments", Map.of("amount", 100, "reason", "x"),
                "application/json", "Authorization", "Bearer " + admin), 400, "validation");
        assertEquals(0, Money.walletBalance(api, p.token()));
    }

    @Test
    void theLedgerCheckReportsACachedBalanceThatDisagreesWithItsTransfers() {
        String admin = Accounts.admin(api);
        Person p = Accounts.user(api);
        Money.fund(api, admin, p.id(), "WALLET", 3_000);
        Db.exec("update ledger_account set balance = balance + 1 where owner_id = ?::uuid and kind = 'WALLET'", p.id());
        try {
            Api.Resp check = api.get("/admin/ledger/check", admin);
            assertEquals(false, check.json().get("balanced").asBoolean(), check::toString);
            assertEquals(p.id(), check.json().get("mismatches").get(0).get("ownerId").asText());
        } finally {
            Db.exec("update ledger_account set balance = balance - 1 where owner_id = ?::uuid and kind = 'WALLET'", p.id());
        }
    }
}
