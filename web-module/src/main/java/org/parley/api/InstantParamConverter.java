package org.parley.api;

import jakarta.ws.rs.ext.ParamConverter;
import jakarta.ws.rs.ext.ParamConverterProvider;
import jakarta.ws.rs.ext.Provider;

import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.time.Instant;
import java.time.LocalDate;

/** Query parameters in ISO-8601: instants ({@code 2026-11-23T10:00:00Z}) and dates ({@code 2026-11-23}). */
@Provider
public class InstantParamConverter implements ParamConverterProvider {

    @Override
    @SuppressWarnings("unchecked")
    public <T> ParamConverter<T> getConverter(Class<T> rawType, Type genericType, Annotation[] annotations) {
        if (rawType == Instant.class) {
            return (ParamConverter<T>) new Converter<>(Instant::parse);
        }
        if (rawType == LocalDate.class) {
            return (ParamConverter<T>) new Converter<>(LocalDate::parse);
        }
        return null;
    }

    private record Converter<T>(java.util.function.Function<String, T> parse) implements ParamConverter<T> {
        @Override
        public T fromString(String value) {
            return value == null || value.isBlank() ? null : parse.apply(value);
        }

        @Override
        public String toString(T value) {
            return value == null ? null : value.toString();
        }
    }
}
