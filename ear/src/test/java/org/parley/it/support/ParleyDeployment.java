package org.parley.it.support;

import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;

import java.io.File;

/** The real EAR the build produced, deployed as it is. */
public final class ParleyDeployment {

    private ParleyDeployment() {
    }

    public static EnterpriseArchive ear() {
        return ShrinkWrap.createFromZipFile(EnterpriseArchive.class, new File(System.getProperty("parley.ear", "target/parley.ear")));
    }
}
