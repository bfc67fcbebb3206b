package org.parley.it.support;

import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;

import java.io.File;

/** The real EAR with the given classes added to its WAR, for tests and benchmarks that run inside the server. */
public final class InContainer {

    private InContainer() {
    }

    public static EnterpriseArchive earWith(Class<?>... classes) {
        EnterpriseArchive ear = ShrinkWrap.createFromZipFile(EnterpriseArchive.class, new File(System.getProperty("parley.ear", "target/parley.ear")));
        WebArchive war = ShrinkWrap.create(WebArchive.class, "parley-web.war")
                .merge(ear.getAsType(WebArchive.class, "parley-web.war"))
                .addClasses(classes);
        ear.delete("parley-web.war");
        return ear.addAsModule(war);
    }
}
