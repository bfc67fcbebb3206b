-- Remedies: follow-up care plans an expert (or an admin) assigns to a user, with daily check-ins and feedback.
create table remedy (
    id               uuid primary key,
    user_id          uuid          not null references account (id),
    assigned_by      uuid          not null references account (id),
    session_id       uuid references live_session (id),
    kind             varchar(16)   not null check (kind in ('DONATION', 'MANTRA', 'GEMSTONE', 'VASTU', 'AFFIRMATION', 'PRACTICE')),
    title            varchar(200)  not null,
    instructions     varchar(4000) not null,
    duration_days    integer       not null check (duration_days between 1 and 365),
    start_date       date          not null,
    reminder_enabled boolean       not null,
    reminder_time    time,
    time_zone        varchar(64)   not null,
    status           varchar(16)   not null check (status in ('ACTIVE', 'FINISHED')),
    created_at       timestamptz   not null,
    constraint remedy_reminder_has_time check (not reminder_enabled or reminder_time is not null)
);
create index remedy_user_idx on remedy (user_id, created_at);
create index remedy_assigner_idx on remedy (assigned_by, created_at);

create table remedy_checkin (
    remedy_id  uuid          not null references remedy (id),
    day        date          not null,
    done       boolean       not null,
    note       varchar(1000),
    created_at timestamptz   not null,
    primary key (remedy_id, day)
);

create table remedy_feedback (
    remedy_id  uuid primary key references remedy (id),
    rating     integer       not null check (rating between 1 and 5),
    comment    varchar(2000),
    created_at timestamptz   not null
);
