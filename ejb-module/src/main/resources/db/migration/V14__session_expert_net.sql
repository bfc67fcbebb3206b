-- What a session's end credited to the expert's pending earnings (its SESSION_EARNING transfer) and how much of that
-- later refunds took back, kept on the session in the same transactions as those transfers, so nightly settlement
-- reads a day's nets from the sessions instead of looking up a transfer per session. The reconciliation compares
-- them with the journal. Null for sessions that ended before this column existed (settlement looks those up).
alter table live_session add column expert_net bigint check (expert_net >= 0);
alter table live_session add column expert_refunded bigint not null default 0 check (expert_refunded >= 0);
