package org.parley.devserver;

/** Reads a setting the way Parley's server does: environment variable first, then system property, then default. */
final class Settings {
    private Settings() {
    }

    static String get(String env, String property, String fallback) {
        String v = System.getenv(env);
        if (v == null || v.isBlank()) {
            v = System.getProperty(property);
        }
        return v == null || v.isBlank() ? fallback : v;
    }
}
