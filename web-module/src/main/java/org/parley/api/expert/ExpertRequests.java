package org.parley.api.expert;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import org.parley.common.Channel;
import org.parley.expert.ExpertStatus;

import java.util.Map;
import java.util.Set;

/** Request bodies of the expert endpoints. */
public final class ExpertRequests {

    /** The highest per-minute rate an expert may set: ₹1,000.00 a minute. */
    static final long MAX_RATE = org.parley.expert.Applicant.MAX_RATE;

    private ExpertRequests() {
    }

    public record ProfileRequest(
            @NotBlank @Size(max = 120) String title,
            @Size(max = 4000) String bio,
            @Min(0) @Max(80) Integer experienceYears,
            @NotNull @Size(max = 20) Set<@NotBlank @Size(max = 64) String> specialties,
            @NotNull @Size(max = 20) Set<@NotBlank @Size(max = 35) String> languages,
            @NotNull Map<Channel, @NotNull @Positive @Max(MAX_RATE) Long> rates) {
    }

    public record PresenceRequest(@NotNull Boolean online) {
    }

    /** A weekly schedule as written; parsed and checked by the booking service (400 malformed, 422 refused). */
    public record ScheduleRequest(@Size(max = 64) String timezone,
                                  @Size(max = 100) java.util.List<org.parley.booking.Schedule.Weekly> weekly,
                                  @Size(max = 400) java.util.List<org.parley.booking.Schedule.DateOverride> overrides) {
    }

    public record SlotRequest(@NotNull java.time.Instant startsAt, @NotNull java.time.Instant endsAt) {
    }

    public record ApplicationDecision(@NotNull ExpertStatus status, @Size(max = 1000) String note,
                                      @Size(max = 1000) String reason) {
    }
}
