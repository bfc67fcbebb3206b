package org.parley.it.support;

import org.jboss.as.controller.client.ModelControllerClient;
import org.jboss.dmr.ModelNode;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** System properties of the running test server, set and removed through its management API (settings read per use). */
public final class ServerProperties {

    private ServerProperties() {
    }

    public static void set(String name, String value) throws Exception {
        remove(name);
        run(name, value);
    }

    public static void remove(String name) throws Exception {
        try (ModelControllerClient client = ModelControllerClient.Factory.create("remote+http", "127.0.0.1", 10090)) {
            ModelNode read = new ModelNode();
            read.get("operation").set("read-resource");
            read.get("address").add("system-property", name);
            if ("success".equals(client.execute(read).get("outcome").asString())) {
                run(name, null);
            }
        }
    }

    private static void run(String name, String value) throws Exception {
        try (ModelControllerClient client = ModelControllerClient.Factory.create("remote+http", "127.0.0.1", 10090)) {
            ModelNode op = new ModelNode();
            op.get("operation").set(value != null ? "add" : "remove");
            op.get("address").add("system-property", name);
            if (value != null) {
                op.get("value").set(value);
            }
            ModelNode result = client.execute(op);
            assertEquals("success", result.get("outcome").asString(), result::toString);
        }
    }
}
