-- Drill reports: one row per drill, written when it starts (status running) and completed when it
-- ends, so a restart still shows every drill and its outcome. The full report is the JSON the API
-- serves; the columns beside it are what history, trends and flags query.

create table drill_reports (
  drill_id     text        primary key,
  scenario_id  text        not null,
  runbook_id   text        not null,
  assets       text[]      not null,
  status       text        not null check (status in ('running', 'passed', 'failed')),
  started_at   timestamptz not null,
  finished_at  timestamptz,
  detection_ms bigint      check (detection_ms >= 0),
  recovery_ms  bigint      check (recovery_ms >= 0),
  within_rto   boolean,
  run_id       text,
  failure      text,
  report       jsonb       not null,
  check ((status = 'running') = (finished_at is null))
);

create index drill_reports_scenario on drill_reports (scenario_id, started_at desc);
create index drill_reports_runbook on drill_reports (runbook_id, started_at desc);
create index drill_reports_assets on drill_reports using gin (assets);
