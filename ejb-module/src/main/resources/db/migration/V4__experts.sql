-- Expert profiles: onboarding status, public profile, per-channel rates (paise per minute), presence.
create table expert_profile (
    account_id        uuid primary key references account (id),
    status            varchar(32)  not null check (status in
                          ('APPLIED', 'DOCUMENTS_VERIFIED', 'CALL_SCHEDULED', 'CALL_DONE', 'APPROVED', 'REJECTED')),
    rejection_reason  varchar(1000),
    status_changed_at timestamptz  not null,
    title             varchar(120),
    bio               varchar(4000),
    experience_years  integer check (experience_years between 0 and 80),
    rate_chat         bigint check (rate_chat > 0),
    rate_voice        bigint check (rate_voice > 0),
    rate_video        bigint check (rate_video > 0),
    -- The cheapest offered channel, for the directory's maxRate filter and rate sort.
    min_rate          bigint generated always as (least(rate_chat, rate_voice, rate_video)) stored,
    rating            numeric(3, 2) not null default 0 check (rating between 0 and 5),
    review_count      integer      not null default 0 check (review_count >= 0),
    sessions_completed bigint      not null default 0 check (sessions_completed >= 0),
    online            boolean      not null default false,
    version           bigint       not null default 0,
    -- Only an approved expert can be online, whatever the code does.
    constraint expert_online_only_when_approved check (not online or status = 'APPROVED'),
    constraint expert_rejection_has_reason check (status <> 'REJECTED' or rejection_reason is not null)
);
create index expert_profile_status_idx on expert_profile (status);

create table expert_specialty (
    expert_id uuid        not null references expert_profile (account_id),
    specialty varchar(64) not null,
    primary key (expert_id, specialty)
);
create index expert_specialty_idx on expert_specialty (specialty);

create table expert_language (
    expert_id uuid        not null references expert_profile (account_id),
    language  varchar(35) not null,
    primary key (expert_id, language)
);
create index expert_language_idx on expert_language (language);
