package org.parley.notify;

/** A provider refused or failed a message; {@code permanent} when sending it again cannot help (a 4xx other than 408/429). */
public class ProviderException extends RuntimeException {

    private final boolean permanent;

    public ProviderException(String message, boolean permanent) {
        super(message);
        this.permanent = permanent;
    }

    public boolean permanent() {
        return permanent;
    }

    /** The JAX-RS client the providers' clients use: 3 s to connect, 10 s to answer. */
    static jakarta.ws.rs.client.Client httpClient() {
        return jakarta.ws.rs.client.ClientBuilder.newBuilder().connectTimeout(3, java.util.concurrent.TimeUnit.SECONDS)
                .readTimeout(10, java.util.concurrent.TimeUnit.SECONDS).build();
    }

    static ProviderException of(String provider, int status, String body) {
        String detail = provider + " answered " + status + ": " + (body == null ? "" : body.length() > 300 ? body.substring(0, 300) : body);
        return new ProviderException(detail, status >= 400 && status < 500 && status != 408 && status != 429);
    }
}
