package org.parley.moderation;

import org.parley.common.DomainException.FieldError;
import org.parley.common.Problems;

import java.util.List;
import java.util.UUID;

/** One chat line named on the wire as {@code "<sessionId>:<seq>"}. */
public record MessageRef(UUID sessionId, int seq) {

    /** Parses {@code text}; anything else is 400 naming {@code field}. */
    public static MessageRef parse(String text, String field) {
        String[] parts = text == null ? new String[0] : text.trim().split(":");
        try {
            if (parts.length == 2) {
                int seq = Integer.parseInt(parts[1]);
                if (seq > 0) {
                    return new MessageRef(UUID.fromString(parts[0]), seq);
                }
            }
        } catch (IllegalArgumentException e) {
            // falls through to the refusal
        }
        throw Problems.badRequest(field + " must be \"<sessionId>:<seq>\"", List.of(new FieldError(field, "\"<sessionId>:<seq>\"")));
    }

    @Override
    public String toString() {
        return sessionId + ":" + seq;
    }
}
