package org.parley.common;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.util.Map;
import java.util.TreeMap;

/** Canonical JSON for stored metadata: keys sorted, so the same content always hashes the same. */
public final class Json {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private Json() {
    }

    public static String canonical(Map<String, ?> values) {
        try {
            return MAPPER.writeValueAsString(values == null ? Map.of() : new TreeMap<>(values));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("metadata is not serialisable", e);
        }
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }
}
