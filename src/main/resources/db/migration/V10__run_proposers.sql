-- Runs the agent proposes on a person's behalf (dev.rebound.engine.Engine#propose).
--
-- The run's requester (runs.requested_by) is the person the agent acted for, so the four-eyes
-- rule (a high-risk step needs approvers other than the requester) excludes the person who asked
-- for the run through the chat exactly as it excludes one who started it directly. The agent is
-- recorded beside them as the proposer; it is never an approver either way. Null for runs a
-- person started themselves (and for runs stored before this migration).
alter table runs
  add column proposed_by      text check (proposed_by is null or proposed_by <> ''),
  add column proposed_by_type text check (proposed_by_type is null or proposed_by_type in ('agent', 'system')),
  add constraint runs_proposer_pair check ((proposed_by is null) = (proposed_by_type is null));
