package org.parley.identity;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.parley.expert.ExpertStatus;

import java.time.Instant;
import java.util.UUID;

/** An account as it is shown to its owner and to admins. {@code expertStatus} is null unless the role is EXPERT,
 * {@code referralCode} unless it is USER. */
public record AccountView(UUID id, String email, String name, Role role, AccountStatus status,
                          @JsonInclude(JsonInclude.Include.NON_NULL) ExpertStatus expertStatus, String phone, Instant createdAt,
                          @JsonInclude(JsonInclude.Include.NON_NULL) String referralCode) {

    static AccountView of(Account a, ExpertStatus expertStatus) {
        return new AccountView(a.id(), a.email(), a.name(), a.role(), a.status(),
                a.role() == Role.EXPERT ? expertStatus : null, a.phone(), a.createdAt(),
                a.role() == Role.USER ? a.referralCode() : null);
    }
}
