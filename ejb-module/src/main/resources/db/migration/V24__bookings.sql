-- Bookings: consultations at an agreed time, prepaid into BOOKING_HOLD and held until they happen.
-- btree_gist lets one exclusion constraint combine "same expert" (=) with "overlapping time" (&&); it is a trusted
-- extension, so a database owner without superuser rights can create it.
create extension if not exists btree_gist;

-- The hold account: a system account like the escrow (its balance is derived from the journal).
alter table ledger_account drop constraint ledger_account_kind_check;
alter table ledger_account add constraint ledger_account_kind_check check (kind in ('WALLET', 'EARNINGS_PENDING',
    'EARNINGS_AVAILABLE', 'EXTERNAL', 'SESSION_ESCROW', 'PLATFORM_REVENUE', 'PAYOUT_CLEARING', 'ADJUSTMENTS', 'BOOKING_HOLD'));
alter table ledger_account drop constraint ledger_owned_kinds;
alter table ledger_account add constraint ledger_owned_kinds check ((owner_id is null) = (kind in ('EXTERNAL', 'SESSION_ESCROW',
    'PLATFORM_REVENUE', 'PAYOUT_CLEARING', 'ADJUSTMENTS', 'BOOKING_HOLD')));
insert into ledger_account (id, kind) values ('00000000-0000-0000-0000-000000000006', 'BOOKING_HOLD');

insert into platform_setting (key, value) values
    ('bookingHorizonDays', 30),
    ('bookingMinNoticeMinutes', 60),
    ('bookingBufferMinutes', 0),
    ('cancellationNoticeHours', 24),
    ('cancellationFeePercent', 50),
    ('bookingNoShowMinutes', 10);

-- An expert's weekly schedule (wall-clock windows in its own time zone) and its date overrides, read as a whole.
create table expert_schedule (
    expert_id  uuid primary key references account (id),
    timezone   varchar(64) not null,
    weekly     jsonb       not null,
    overrides  jsonb       not null,
    updated_at timestamptz not null
);

-- One-off windows of availability; an expert's own never overlap.
create table availability_slot (
    id         uuid primary key,
    expert_id  uuid        not null references account (id),
    starts_at  timestamptz not null,
    ends_at    timestamptz not null,
    created_at timestamptz not null,
    constraint availability_slot_positive check (ends_at > starts_at),
    constraint availability_slot_no_overlap exclude using gist (expert_id with =, tstzrange(starts_at, ends_at) with &&)
);

create table booking (
    id               uuid primary key,
    user_id          uuid         not null references account (id),
    expert_id        uuid         not null references account (id),
    channel          varchar(8)   not null check (channel in ('CHAT', 'VOICE', 'VIDEO')),
    status           varchar(16)  not null check (status in ('PENDING', 'ACCEPTED', 'REJECTED', 'EXPIRED', 'CANCELLED',
                                                             'COMPLETED', 'NO_SHOW_EXPERT', 'NO_SHOW_USER')),
    starts_at        timestamptz  not null,
    ends_at          timestamptz  not null,
    minutes          integer      not null check (minutes between 15 and 120 and minutes % 15 = 0),
    -- Seconds per booked "minute": the billing period when it was booked (60 in production; tests shorten it).
    unit_seconds     integer      not null check (unit_seconds > 0),
    rate_per_minute  bigint       not null check (rate_per_minute > 0),
    hold_amount      bigint       not null,
    -- What went back to the wallet, and what went to a session (held, or the record of a no-show or late cancellation).
    released         bigint       not null default 0 check (released >= 0),
    charged          bigint       not null default 0 check (charged >= 0),
    no_show_at       timestamptz  not null,
    user_joined_at   timestamptz,
    expert_joined_at timestamptz,
    session_id       uuid references live_session (id),
    reason           varchar(500),
    cancelled_by     varchar(8) check (cancelled_by in ('USER', 'EXPERT', 'ADMIN')),
    calendar_seq     integer      not null default 0,
    created_at       timestamptz  not null,
    updated_at       timestamptz  not null,
    constraint booking_two_people check (user_id <> expert_id),
    constraint booking_positive check (ends_at > starts_at),
    constraint booking_hold_is_price check (hold_amount = minutes * rate_per_minute),
    constraint booking_hold_accounted check (released + charged <= hold_amount),
    -- The race-proof rules: an expert's standing bookings never overlap, nor do a user's.
    constraint booking_expert_no_overlap exclude using gist (expert_id with =, tstzrange(starts_at, ends_at) with &&)
        where (status in ('PENDING', 'ACCEPTED')),
    constraint booking_user_no_overlap exclude using gist (user_id with =, tstzrange(starts_at, ends_at) with &&)
        where (status in ('PENDING', 'ACCEPTED'))
);
create index booking_user_idx on booking (user_id, starts_at);
create index booking_expert_idx on booking (expert_id, starts_at);
-- The timers' work: undecided requests reaching their start, accepted ones with nobody (or one side) there.
create index booking_pending_start_idx on booking (starts_at) where status = 'PENDING';
create index booking_no_show_idx on booking (no_show_at) where status = 'ACCEPTED' and session_id is null;

-- Reminders before a booking's start, each sent once (sent_at set in the transaction that queues its notifications).
create table booking_reminder (
    booking_id uuid        not null references booking (id),
    kind       varchar(8)  not null check (kind in ('24h', '15m')),
    due_at     timestamptz not null,
    sent_at    timestamptz,
    primary key (booking_id, kind)
);
create index booking_reminder_due_idx on booking_reminder (due_at) where sent_at is null;

-- The live session a booking paid for (the session held at the booked time, or the record of what a no-show or late
-- cancellation forfeited): at most one per booking.
alter table live_session add column booking_id uuid references booking (id);
create unique index live_session_booking_uk on live_session (booking_id) where booking_id is not null;

-- An email may carry an iCalendar part (text/calendar; METHOD inside).
alter table notification add column calendar text;
