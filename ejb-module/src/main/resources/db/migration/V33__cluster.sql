-- Which node claimed a scheduled period (the node's jboss.node.name): with several nodes, the record of who ran what.
alter table job_schedule_claim add column claimed_by varchar(128);
-- Periodic sweeps that claim their period here too (the payment janitor, once a minute) purge their old claims.
create index job_schedule_claim_claimed_at_idx on job_schedule_claim (job_name, claimed_at);
