-- Slack and alert intake (dev.rebound.slack).

-- Requests from Slack already handled. Slack retries a request it thinks failed (events carry
-- X-Slack-Retry-Num and the same event_id); an attacker may replay a captured request within
-- the five-minute timestamp window. Each request records its signature and its own id (event
-- id, or trigger id and action time), so neither a retry nor a replay does the work twice,
-- whichever replica receives it. Rows older than a day are pruned: by then the timestamp
-- window refuses a replay and Slack has stopped retrying.
create table slack_requests (
  dedup_key   text        primary key check (dedup_key <> ''),
  received_at timestamptz not null default now()
);
create index slack_requests_received on slack_requests (received_at);

-- Messages Rebound posted, by what they are about, so a thread is found again (an incident's
-- suggestion message, a run's status message, a step attempt's approval request) and nothing
-- is posted twice. subject: incident:<id>, run:<id>, approval:<run>/<step>/<attempt>.
create table slack_messages (
  subject    text        primary key check (subject <> ''),
  channel    text        not null check (channel <> ''),
  ts         text        not null check (ts <> ''),
  thread_ts  text,
  created_at timestamptz not null default now()
);

-- Alertmanager groups: one incident per group key; fingerprints maps each alert's
-- fingerprint to its last status (firing, resolved), so a resolved alert is noted once.
create table alert_groups (
  group_key    text        primary key check (group_key <> ''),
  incident_id  text        not null check (incident_id <> ''),
  fingerprints jsonb       not null default '{}'::jsonb check (jsonb_typeof(fingerprints) = 'object'),
  created_at   timestamptz not null default now(),
  updated_at   timestamptz not null default now()
);
