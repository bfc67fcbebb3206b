package org.parley.expert;

import org.parley.common.Channel;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** How experts are shown: in the directory, to themselves, and to admins reviewing applications. */
public final class ExpertViews {

    private ExpertViews() {
    }

    private static List<String> sorted(java.util.Collection<String> values) {
        return values.stream().sorted().toList();
    }

    /** A directory entry and the public profile ({@code GET /experts}, {@code GET /experts/{id}}). */
    public record Card(UUID id, String name, String title, String bio, Integer experienceYears,
                       List<String> specialties, List<String> languages, Map<Channel, Long> rates,
                       double rating, int reviewCount, boolean online) {

        static Card of(ExpertProfile p) {
            return new Card(p.accountId(), p.account().name(), p.title(), p.bio(), p.experienceYears(),
                    sorted(p.specialties()), sorted(p.languages()), p.rates(),
                    p.rating().doubleValue(), p.reviewCount(), p.online());
        }
    }

    /** The expert's own view, with onboarding status ({@code GET/PUT /experts/me}). */
    public record Own(UUID id, ExpertStatus status, String rejectionReason, String title, String bio,
                      Integer experienceYears, List<String> specialties, List<String> languages,
                      Map<Channel, Long> rates, double rating, int reviewCount, boolean online) {

        static Own of(ExpertProfile p) {
            return new Own(p.accountId(), p.status(), p.rejectionReason(), p.title(), p.bio(), p.experienceYears(),
                    sorted(p.specialties()), sorted(p.languages()), p.rates(),
                    p.rating().doubleValue(), p.reviewCount(), p.online());
        }
    }

    /** An application as admins review it. */
    public record Application(UUID expertId, String name, String email, ExpertStatus status, String rejectionReason,
                              Instant statusChangedAt, String title, List<String> specialties) {

        static Application of(ExpertProfile p) {
            return new Application(p.accountId(), p.account().name(), p.account().email(), p.status(),
                    p.rejectionReason(), p.statusChangedAt(), p.title(), sorted(p.specialties()));
        }
    }
}
