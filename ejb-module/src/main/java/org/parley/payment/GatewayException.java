package org.parley.payment;

import org.parley.common.DomainException;

/** The payment gateway refused a request or answered nonsense (502): repeating it will not help. */
public class GatewayException extends DomainException {

    public GatewayException(String detail) {
        this(502, detail);
    }

    protected GatewayException(int status, String detail) {
        super(status, "gateway-error", detail);
    }

    /** The gateway could not be reached, timed out or failed on its side (503): an idempotent call may be repeated. */
    public static class Unavailable extends GatewayException {
        public Unavailable(String detail) {
            super(503, detail);
        }
    }

    /**
     * The exchange failed before any answer came back (a refused connect, a connection the gateway had closed, a reset):
     * logged with its cause; a call that is harmless to repeat (an order nobody pays is just an intent) may be made again.
     */
    public static class NoAnswer extends Unavailable {
        public NoAnswer(String detail) {
            super(detail);
        }
    }
}
