package org.parley.common;

import java.util.ArrayList;
import java.util.List;

/** A validated page request: page from 0, size 1..{@value #MAX_SIZE}. */
public record PageRequest(int page, int size) {

    public static final int MAX_SIZE = 100;
    public static final int DEFAULT_SIZE = 20;

    public PageRequest {
        List<DomainException.FieldError> errors = new ArrayList<>();
        if (page < 0) {
            errors.add(new DomainException.FieldError("page", "must be 0 or more"));
        }
        if (size < 1 || size > MAX_SIZE) {
            errors.add(new DomainException.FieldError("size", "must be between 1 and " + MAX_SIZE));
        }
        if (!errors.isEmpty()) {
            throw Problems.badRequest("invalid paging parameters", errors);
        }
    }

    public static PageRequest of(Integer page, Integer size) {
        return new PageRequest(page == null ? 0 : page, size == null ? DEFAULT_SIZE : size);
    }

    public int offset() {
        return page * size;
    }
}
