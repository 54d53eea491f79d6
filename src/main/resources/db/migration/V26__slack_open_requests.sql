-- Approval requests Rebound posted in Slack that are still open (their buttons live), by run, so
-- a run that moves on without a decision (aborted, failed, rolled back, approvals voided, a retry
-- with its own request) closes its requests in place. run_id is set for approval requests only;
-- closed_at is set by whoever closes one (once, whichever replica), and cleared again when Slack
-- did not take the update, so a later event may close it.
alter table slack_messages add column run_id text, add column closed_at timestamptz;

update slack_messages set run_id = split_part(substr(subject, length('approval:') + 1), '/', 1)
  where subject like 'approval:%';

-- Requests posted before this migration were closed in Slack when their step was decided; only
-- those whose step still awaits that attempt's approval are open.
update slack_messages m set closed_at = now()
  where m.subject like 'approval:%'
    and not exists (select 1 from run_steps s where s.run_id = m.run_id and s.state = 'awaiting_approval'
                      and m.subject = 'approval:' || s.run_id || '/' || s.step_id || '/' || (s.attempt + 1));

create index slack_messages_open_requests on slack_messages (run_id) where closed_at is null;
