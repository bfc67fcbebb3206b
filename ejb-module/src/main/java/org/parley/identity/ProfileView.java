package org.parley.identity;

import java.util.UUID;

/** The owner's profile (GET/PUT /me/profile). */
public record ProfileView(UUID id, String email, String name, String phone, String language, Integer age, String bio) {

    static ProfileView of(Account a) {
        return new ProfileView(a.id(), a.email(), a.name(), a.phone(), a.language(), a.age(), a.bio());
    }
}
