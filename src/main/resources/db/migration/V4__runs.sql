-- Runs of runbooks: the durable state machine of dev.rebound.engine.
--
-- Every change to these tables is made in the same transaction as its audit_log entry (see
-- dev.rebound.engine.PgRunStore), so the record and the state can never disagree. The rows hold
-- no secret in clear: actions are stored only as their masked rendering plus the sha256 of the
-- real rendering, which is what an approval binds.

create table runs (
  -- run_<time-ordered base36>_<random>: sorts by creation, unguessable.
  id               text        primary key check (id ~ '^run_[0-9a-z]+_[0-9a-z]+$'),
  runbook_id       text        not null check (runbook_id <> ''),
  runbook_version  integer     not null check (runbook_version > 0),
  -- The content hash of the runbook file the run was started from; every step re-checks the file
  -- against it right before it executes.
  content_hash     char(64)    not null check (content_hash ~ '^[0-9a-f]{64}$'),
  params           jsonb       not null default '{}' check (jsonb_typeof(params) = 'object'),
  incident_id      text,
  kind             text        not null check (kind in ('live', 'drill')),
  requested_by     text        not null check (requested_by <> ''),
  requested_by_type text       not null check (requested_by_type in ('human', 'agent', 'system', 'drill')),
  state            text        not null check (state in ('proposed', 'running', 'succeeded', 'failed', 'rolled_back', 'aborted')),
  -- Why the run is paused and who must act, for people: null while the engine is working or done.
  waiting_for      text,
  -- Work the engine owes the run without a person (checks, rollback), claimed with the lease
  -- below so that one instance does it, and another resumes it after a crash.
  work             text        check (work in ('preconditions', 'validation', 'rollback')),
  lease_owner      text,
  lease_until      timestamptz,
  error            text,
  created_at       timestamptz not null default now(),
  updated_at       timestamptz not null default now(),
  finished_at      timestamptz
);

create index runs_created on runs (created_at desc);
create index runs_work on runs (lease_until) where work is not null;
create index runs_incident on runs (incident_id) where incident_id is not null;

create table run_steps (
  run_id           text        not null references runs (id),
  idx              integer     not null check (idx >= 0),
  step_id          text        not null check (step_id <> ''),
  title            text        not null,
  risk             text        not null check (risk in ('low', 'medium', 'high')),
  state            text        not null check (state in ('pending', 'awaiting_approval', 'approved', 'running',
                                                         'succeeded', 'failed', 'skipped', 'rolled_back')),
  -- Executions claimed so far; an approval is for exactly one of them (attempt + 1 when given).
  attempt          integer     not null default 0 check (attempt >= 0),
  -- The step's action rendered with real values: sha256 of its canonical JSON (what approvals
  -- bind) and its masked rendering (what people are shown). Null until the step is reached.
  action_hash      char(64)    check (action_hash ~ '^[0-9a-f]{64}$'),
  action_display   jsonb,
  action_type      text        not null,
  targets          text[]      not null default '{}',
  idempotent       boolean     not null,
  reversible       boolean     not null,
  -- One key for the step, all its attempts and its undo, sent to targets (Idempotency-Key).
  idempotency_key  text        not null,
  -- The undo (masked rendered rollback) is recorded before the step starts, with the hash of its
  -- real rendering: a rollback runs only that undo, never a different one.
  undo             jsonb,
  undo_hash        char(64)    check (undo_hash ~ '^[0-9a-f]{64}$'),
  undo_state       text        not null default 'none'
                               check (undo_state in ('none', 'recorded', 'running', 'done', 'failed', 'skipped')),
  undo_output      jsonb,
  undo_error       text,
  -- The action of the current attempt completed; only its checks remain (re-run after a crash).
  action_done      boolean     not null default false,
  -- The step may have changed its target (succeeded, or failed with an unknown outcome or a
  -- failed check): a rollback must run its undo.
  may_have_applied boolean     not null default false,
  output           jsonb,
  summary          text,
  error            text,
  lease_owner      text,
  lease_until      timestamptz,
  awaiting_since   timestamptz,
  started_at       timestamptz,
  finished_at      timestamptz,
  updated_at       timestamptz not null default now(),
  primary key (run_id, step_id),
  unique (run_id, idx)
);

-- What the pollers look for: steps to claim, leases to recover.
create index run_steps_dispatch on run_steps (state, lease_until) where state in ('approved', 'running');

-- Approvals bind exactly what was shown: run, step, attempt, runbook content hash, the hash of
-- the rendered action and the targets. Single use (used_at), voided when anything they bound
-- changed (voided_at), and they expire.
create table step_approvals (
  id           bigserial   primary key,
  run_id       text        not null,
  step_id      text        not null,
  attempt      integer     not null check (attempt > 0),
  approver     text        not null check (approver <> ''),
  approver_type text       not null check (approver_type in ('human', 'agent', 'system', 'drill')),
  role         text        not null,
  content_hash char(64)    not null check (content_hash ~ '^[0-9a-f]{64}$'),
  action_hash  char(64)    not null check (action_hash ~ '^[0-9a-f]{64}$'),
  targets      text[]      not null,
  created_at   timestamptz not null,
  expires_at   timestamptz not null check (expires_at > created_at),
  used_at      timestamptz,
  voided_at    timestamptz,
  void_reason  text,
  foreign key (run_id, step_id) references run_steps (run_id, step_id)
);

-- One live approval per person per attempt, also under concurrent requests.
create unique index step_approvals_one_per_person
  on step_approvals (run_id, step_id, attempt, approver) where voided_at is null;
create index step_approvals_step on step_approvals (run_id, step_id);

-- Results of the checks a run ran: preconditions, step verify, invariants, validation.
create table run_checks (
  id          bigserial   primary key,
  run_id      text        not null references runs (id),
  step_id     text,
  phase       text        not null check (phase in ('precondition', 'verify', 'invariant', 'validation')),
  attempt     integer     not null default 0,
  idx         integer     not null,
  kind        text        not null,
  name        text        not null,
  passed      boolean     not null,
  observed    text        not null default '',
  expected    text        not null default '',
  message     text        not null default '',
  duration_ms bigint      not null default 0,
  at          timestamptz not null default now()
);

create index run_checks_run on run_checks (run_id, id);
