package org.parley.it.support;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.File;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Base of every system test: the real EAR the build produced, deployed as it is into the managed WildFly,
 * exercised from outside over HTTP (testable = false) with a fresh {@link Api} client per test.
 */
@ExtendWith(ArquillianExtension.class)
public abstract class SystemTest {

    @Deployment(testable = false)
    public static EnterpriseArchive deployment() {
        return ShrinkWrap.createFromZipFile(EnterpriseArchive.class, new File(System.getProperty("parley.ear", "target/parley.ear")));
    }

    protected final Api api = new Api();

    /** After every test, whatever it did: the ledger's invariants hold (sum zero, caches right, nobody negative). */
    @AfterEach
    void ledgerStillBalances() {
        Api.Resp check = api.get("/admin/ledger/check", Accounts.admin(api));
        assertEquals(200, check.status(), check::toString);
        assertTrue(check.json().get("balanced").asBoolean(), () -> "ledger check failed: " + check.body());
        assertEquals(0, check.json().get("sum").asLong());
    }
}
