package org.parley.it.support;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.File;

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
}
