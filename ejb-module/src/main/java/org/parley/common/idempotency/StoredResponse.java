package org.parley.common.idempotency;

/** A response as it was first given for an idempotency key: replayed as it is for a repeat. */
public record StoredResponse(int status, String contentType, String body) {
}
