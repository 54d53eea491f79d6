-- The demo platform's schemas, re-created from scratch at every start and reset (nothing here is
-- a Flyway migration of Rebound: the demo system owns these schemas). The four blocks between the
-- markers are copied verbatim from knowledge/docs/demo-platform.md, the contract the runbooks were
-- written against; keep them identical. Demo internals that are not part of the contract (seed
-- data generators, feature computation) follow at the end.
set client_min_messages = warning;
drop schema if exists demo_features cascade;
drop schema if exists demo_registry cascade;
drop schema if exists demo_rag cascade;
drop schema if exists demo_warehouse cascade;

-- contract: demo_warehouse (begin)
create schema demo_warehouse;
set search_path = demo_warehouse;

-- Landing zone: what the collector received, in arrival order (event_id is the stream offset).
create table raw_events (
  event_id    bigserial primary key,
  event_date  date not null,
  event_ts    timestamptz not null,
  user_id     text not null,
  item_id     text not null,
  event_type  text not null check (event_type in ('view', 'click', 'purchase')),
  amount      numeric(12, 2),                 -- purchases only
  source_file text not null,
  ingested_at timestamptz not null default now()
);
create index on raw_events (event_date);

-- Upstream's statement of what a day contains; 'complete' once the day is closed.
create table landing_manifests (
  source     text not null,                   -- 'clickstream'
  event_date date not null,
  row_count  bigint not null,
  status     text not null check (status in ('partial', 'complete', 'corrupt')),
  arrived_at timestamptz not null default now(),
  primary key (source, event_date)
);

-- Warehouse table, one logical partition per event_date.
create table events (
  event_date date not null,
  event_id   bigint not null,
  event_ts   timestamptz not null,
  user_id    text not null,
  item_id    text not null,
  event_type text not null,
  amount     numeric(12, 2),
  loaded_at  timestamptz not null default now(),
  primary key (event_date, event_id)
);

-- Partition catalog. Invariant: a 'ready' partition's row_count equals its rows in events;
-- a 'quarantined' partition has no rows in events (row_count 0).
create table partitions (
  table_name     text not null,
  partition_date date not null,
  status         text not null check (status in ('ready', 'quarantined')),
  row_count      bigint not null default 0,
  loaded_at      timestamptz,
  loaded_by_job  text,
  updated_at     timestamptz not null default now(),
  primary key (table_name, partition_date)
);

create table quarantine_log (
  quarantine_id     bigserial primary key,
  table_name        text not null,
  partition_date    date not null,
  reason            text not null,
  rows_moved        bigint not null,
  created_partition boolean not null,           -- no partition existed; release removes it again
  prev_loaded_at    timestamptz,                -- restored by release_quarantine
  prev_loaded_by_job text,
  quarantined_at    timestamptz not null default now(),
  released_at       timestamptz
);

create table events_quarantine (
  quarantine_id  bigint not null references quarantine_log,
  event_date     date not null,
  event_id       bigint not null,
  event_ts       timestamptz not null,
  user_id        text not null,
  item_id        text not null,
  event_type     text not null,
  amount         numeric(12, 2),
  loaded_at      timestamptz not null,
  primary key (event_date, event_id)
);

create table pipelines (
  name            text primary key,             -- events-daily, ranker-retrain, fraud-retrain
  paused          boolean not null default false,
  paused_reason   text,
  schedule        text not null,                -- cron, informational
  last_run_at     timestamptz,
  last_success_at timestamptz
);

create table pipeline_jobs (
  job_id           text primary key,            -- bf-<8 hex> (backfill), run-<8 hex> (scheduled)
  pipeline         text not null references pipelines,
  kind             text not null check (kind in ('scheduled', 'backfill')),
  date_from        date,
  date_to          date,
  status           text not null check (status in ('queued', 'running', 'succeeded', 'failed')),
  partitions_total int not null default 0,
  partitions_done  int not null default 0,
  rows_written     bigint not null default 0,
  error            text,
  created_at       timestamptz not null default now(),
  started_at       timestamptz,
  finished_at      timestamptz
);

-- Training datasets (files under var/demo/datasets) and their immutable snapshots.
create table datasets (
  dataset          text primary key,            -- ranker-training, fraud-training
  current_snapshot text,
  restored_at      timestamptz,
  updated_at       timestamptz not null default now()
);

create table dataset_snapshots (
  dataset         text not null references datasets,
  snapshot_id     text not null check (snapshot_id ~ '^snap-[0-9a-f]{8}$'),
  manifest_path   text not null,
  manifest_sha256 text not null check (manifest_sha256 ~ '^[0-9a-f]{64}$'),
  row_count       bigint not null,
  parts           int not null,
  created_at      timestamptz not null,
  primary key (dataset, snapshot_id)
);

-- Moves the rows of every partition in [p_from, p_to] to events_quarantine and marks the
-- partition quarantined (creating an empty quarantined partition for a date that had none).
-- Already-quarantined partitions are skipped (idempotent). An older quarantine batch of the
-- same date, superseded by a successful reload, is discarded first. Returns partitions newly
-- quarantined.
create function quarantine_partitions(p_table text, p_from date, p_to date, p_reason text)
returns int language plpgsql as $$
declare
  d       date;
  v_stat  text;
  v_at    timestamptz;
  v_job   text;
  v_qid   bigint;
  v_rows  bigint;
  v_n     int := 0;
begin
  if p_table <> 'events' then raise exception 'unsupported table %', p_table; end if;
  if p_to < p_from then raise exception 'empty range % .. %', p_from, p_to; end if;
  for d in select g::date from generate_series(p_from, p_to, interval '1 day') as g loop
    v_stat := null; v_at := null; v_job := null;
    select status, loaded_at, loaded_by_job into v_stat, v_at, v_job from partitions
      where table_name = p_table and partition_date = d for update;
    continue when v_stat = 'quarantined';
    delete from events_quarantine where event_date = d;
    update quarantine_log set released_at = now()
      where table_name = p_table and partition_date = d and released_at is null;
    insert into quarantine_log (table_name, partition_date, reason, rows_moved, created_partition,
                                prev_loaded_at, prev_loaded_by_job)
      values (p_table, d, p_reason, 0, v_stat is null, v_at, v_job)
      returning quarantine_id into v_qid;
    with moved as (delete from events where event_date = d returning *)
    insert into events_quarantine
      (quarantine_id, event_date, event_id, event_ts, user_id, item_id, event_type, amount, loaded_at)
      select v_qid, event_date, event_id, event_ts, user_id, item_id, event_type, amount, loaded_at
      from moved;
    get diagnostics v_rows = row_count;
    update quarantine_log set rows_moved = v_rows where quarantine_id = v_qid;
    insert into partitions (table_name, partition_date, status, row_count, updated_at)
      values (p_table, d, 'quarantined', 0, now())
      on conflict (table_name, partition_date)
      do update set status = 'quarantined', row_count = 0, updated_at = now();
    v_n := v_n + 1;
  end loop;
  return v_n;
end $$;

-- Undo of quarantine_partitions: for each quarantined partition in the range, moves its open
-- quarantine batch back into events and marks it ready again (or removes the catalog row if the
-- quarantine created it). Returns partitions released.
create function release_quarantine(p_table text, p_from date, p_to date)
returns int language plpgsql as $$
declare
  d      date;
  v_q    quarantine_log%rowtype;
  v_rows bigint;
  v_n    int := 0;
begin
  if p_table <> 'events' then raise exception 'unsupported table %', p_table; end if;
  for d in select g::date from generate_series(p_from, p_to, interval '1 day') as g loop
    perform 1 from partitions
      where table_name = p_table and partition_date = d and status = 'quarantined' for update;
    continue when not found;
    select * into v_q from quarantine_log
      where table_name = p_table and partition_date = d and released_at is null
      order by quarantine_id desc limit 1;
    continue when not found;
    delete from events where event_date = d;
    with back as (delete from events_quarantine where quarantine_id = v_q.quarantine_id returning *)
    insert into events (event_date, event_id, event_ts, user_id, item_id, event_type, amount, loaded_at)
      select event_date, event_id, event_ts, user_id, item_id, event_type, amount, loaded_at from back;
    get diagnostics v_rows = row_count;
    if v_q.created_partition then
      delete from partitions where table_name = p_table and partition_date = d;
    else
      update partitions set status = 'ready', row_count = v_rows, loaded_at = v_q.prev_loaded_at,
                            loaded_by_job = v_q.prev_loaded_by_job, updated_at = now()
        where table_name = p_table and partition_date = d;
    end if;
    update quarantine_log set released_at = now() where quarantine_id = v_q.quarantine_id;
    v_n := v_n + 1;
  end loop;
  return v_n;
end $$;

-- Undo of a backfill: for each ready partition in the range that has an open quarantine batch
-- (i.e. it was quarantined and then reloaded), deletes the reloaded rows and marks it
-- quarantined again. Partitions without an open batch are left alone, so this can never drop
-- the only copy of a day. Returns partitions unloaded.
create function unload_partitions(p_table text, p_from date, p_to date)
returns int language plpgsql as $$
declare
  d   date;
  v_n int := 0;
begin
  if p_table <> 'events' then raise exception 'unsupported table %', p_table; end if;
  for d in select g::date from generate_series(p_from, p_to, interval '1 day') as g loop
    perform 1 from partitions
      where table_name = p_table and partition_date = d and status = 'ready' for update;
    continue when not found;
    continue when not exists (select 1 from quarantine_log
      where table_name = p_table and partition_date = d and released_at is null);
    delete from events where event_date = d;
    update partitions set status = 'quarantined', row_count = 0, updated_at = now()
      where table_name = p_table and partition_date = d;
    v_n := v_n + 1;
  end loop;
  return v_n;
end $$;
-- contract: demo_warehouse (end)

-- contract: demo_registry (begin)
create schema demo_registry;
set search_path = demo_registry;

create table model_versions (
  model_name        text not null,
  version           int  not null check (version > 0),
  artifact_uri      text not null,                 -- file:./var/demo/models/<name>-v<version>.onnx
  artifact_path     text not null,                 -- ./var/demo/models/<name>-v<version>.onnx
  sha256            text not null check (sha256 ~ '^[0-9a-f]{64}$'),
  training_dataset  text,
  training_snapshot text,
  status            text not null check (status in ('candidate', 'approved', 'bad')),
  status_reason     text,
  registered_at     timestamptz not null default now(),
  primary key (model_name, version)
);

create table deployments (
  deployment_id bigserial primary key,
  model_name    text not null,
  version       int  not null,
  deployed_at   timestamptz not null default now(),
  deployed_by   text not null,
  reason        text,
  foreign key (model_name, version) references model_versions
);

-- The deployed version of each model is its latest deployment.
create view current_deployments as
  select distinct on (model_name) model_name, version, deployment_id, deployed_at
  from deployments
  order by model_name, deployment_id desc;

-- Heartbeat: each serving instance upserts one row per loaded model every 5 seconds.
create table serving_instances (
  instance    text not null check (instance in ('primary', 'standby')),
  model_name  text not null,
  version     int  not null,
  sha256      text not null,
  loaded_at   timestamptz not null,
  reported_at timestamptz not null,
  primary key (instance, model_name)
);
-- contract: demo_registry (end)

-- contract: demo_rag (begin)
create extension if not exists vector schema public;   -- once per database, in public whatever the search_path
create schema demo_rag;
set search_path = demo_rag, public;

create table source_documents (
  doc_id         text primary key,
  title          text not null,
  content        text not null,
  content_sha256 text not null check (content_sha256 ~ '^[0-9a-f]{64}$'),  -- sha256 of content (UTF-8)
  updated_at     timestamptz not null default now(),
  deleted        boolean not null default false
);

create table indexes (
  index_name      text primary key,            -- kb-YYYYMMDD-HHMMSS (UTC build start)
  embedding_model text not null,
  dimensions      int  not null default 384,
  status          text not null check (status in ('building', 'ready', 'failed', 'retired')),
  doc_count       int  not null default 0,
  chunk_count     int  not null default 0,
  created_at      timestamptz not null default now(),
  ready_at        timestamptz
);

-- Chunks of a document do not overlap: concatenated in chunk_no order they equal the source
-- content at index time exactly. content_sha256 is the source document's hash at index time.
create table documents (
  index_name     text not null references indexes on delete cascade,
  doc_id         text not null,
  chunk_no       int  not null,
  content        text not null,
  content_sha256 text not null,
  embedding      vector(384),
  primary key (index_name, doc_id, chunk_no)
);

create table aliases (
  alias               text primary key,         -- the demo has one: kb-live
  index_name          text not null references indexes,
  switched_at         timestamptz not null default now(),
  previous_index_name text
);

create table reindex_jobs (
  job_id          text primary key,            -- rj-<8 hex>
  index_name      text not null,
  embedding_model text not null,
  status          text not null check (status in ('queued', 'running', 'succeeded', 'failed')),
  docs_total      int  not null default 0,
  docs_done       int  not null default 0,
  error           text,
  created_at      timestamptz not null default now(),
  started_at      timestamptz,
  finished_at     timestamptz
);

create table embedder_config (
  id                    int primary key check (id = 1),
  query_embedding_model text not null,
  updated_at            timestamptz not null default now()
);

-- One row per answered query (synthetic traffic included).
create table retrieval_log (
  id                    bigserial primary key,
  logged_at             timestamptz not null default now(),
  index_name            text not null,
  query_embedding_model text not null,
  top_score             double precision not null,   -- cosine similarity of the best chunk
  latency_ms            int not null
);
create index on retrieval_log (logged_at);
-- contract: demo_rag (end)

-- contract: demo_features (begin)
create schema demo_features;
set search_path = demo_features;

-- Online store: one row per (entity, feature).
create table feature_values (
  entity_id    text not null,
  feature_name text not null,
  value        double precision,               -- null = missing (a null spike is an incident)
  updated_at   timestamptz not null,
  primary key (entity_id, feature_name)
);

-- Offline store: the same features computed daily from the warehouse.
create table offline_features (
  entity_id    text not null,
  feature_name text not null,
  value        double precision,
  computed_for date not null,
  primary key (entity_id, feature_name, computed_for)
);

-- Ingestion state: a single row; the ingest tick locks it (FOR UPDATE) in the same
-- transaction as its feature writes, so offset and values always agree.
create table ingest_state (
  id               int primary key check (id = 1),
  paused           boolean not null default false,
  paused_at        timestamptz,
  paused_reason    text,
  consumer_offset  bigint not null default 0,     -- last demo_warehouse.raw_events.event_id applied
  last_ingested_at timestamptz
);

create table snapshots (
  snapshot_id     text primary key check (snapshot_id ~ '^snap-[0-9a-f]{8}$'),
  label           text not null,
  created_at      timestamptz not null default now(),
  consumer_offset bigint not null,                -- ingest offset the rows correspond to
  row_count       bigint not null,
  checksum        text not null check (checksum ~ '^[0-9a-f]{64}$'),
  verified        boolean not null default false, -- checksum recomputed after writing and equal
  verified_at     timestamptz
);

create table snapshot_rows (
  snapshot_id  text not null references snapshots on delete cascade,
  entity_id    text not null,
  feature_name text not null,
  value        double precision,
  updated_at   timestamptz not null,
  primary key (snapshot_id, entity_id, feature_name)
);

-- sha256 (hex) over the snapshot's rows, one line per row in byte order of (entity_id, feature_name):
--   entity_id|feature_name|value|updated_at   (value '' when null; updated_at as UTC ISO-8601 with microseconds)
-- joined by '\n'. An empty snapshot hashes the empty string.
create function snapshot_checksum(p_snapshot_id text) returns text
language sql stable as $$
  select encode(sha256(convert_to(coalesce(string_agg(
           entity_id || '|' || feature_name || '|' || coalesce(value::text, '') || '|'
             || to_char(updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
           E'\n' order by entity_id collate "C", feature_name collate "C"), ''), 'UTF8')), 'hex')
  from snapshot_rows where snapshot_id = p_snapshot_id
$$;

-- Copies feature_values into a new snapshot, computes its checksum, re-reads and re-hashes it,
-- and marks it verified only if both agree. Returns the new snapshot_id.
create function create_snapshot(p_label text) returns text
language plpgsql as $$
declare
  v_id   text;
  v_rows bigint;
  v_sum  text;
begin
  perform 1 from ingest_state where id = 1 for update;   -- consistent with the ingest offset
  loop
    v_id := 'snap-' || substr(md5(random()::text || clock_timestamp()::text), 1, 8);
    exit when not exists (select 1 from snapshots where snapshot_id = v_id);
  end loop;
  insert into snapshots (snapshot_id, label, consumer_offset, row_count, checksum)
    select v_id, p_label, consumer_offset, 0, repeat('0', 64) from ingest_state where id = 1;
  insert into snapshot_rows (snapshot_id, entity_id, feature_name, value, updated_at)
    select v_id, entity_id, feature_name, value, updated_at from feature_values;
  get diagnostics v_rows = row_count;
  v_sum := snapshot_checksum(v_id);
  update snapshots set row_count = v_rows, checksum = v_sum where snapshot_id = v_id;
  if (select count(*) from snapshot_rows where snapshot_id = v_id) = v_rows
     and snapshot_checksum(v_id) = v_sum then
    update snapshots set verified = true, verified_at = now() where snapshot_id = v_id;
  end if;
  return v_id;
end $$;

-- Replaces feature_values with the snapshot in one transaction and rewinds the ingest offset to
-- the snapshot's, so resumed ingestion replays the events since. Refuses (raises) when the
-- snapshot is missing or unverified, when its checksum no longer matches, or when ingestion is
-- not paused. Returns the number of rows restored. Idempotent.
create function restore_snapshot(p_snapshot_id text) returns bigint
language plpgsql as $$
declare
  v_snap snapshots%rowtype;
  v_rows bigint;
begin
  perform 1 from ingest_state where id = 1 and paused for update;
  if not found then
    raise exception 'ingestion is not paused: pause it before restoring';
  end if;
  select * into v_snap from snapshots where snapshot_id = p_snapshot_id;
  if not found then
    raise exception 'snapshot % not found', p_snapshot_id;
  end if;
  if not v_snap.verified then
    raise exception 'snapshot % is not verified', p_snapshot_id;
  end if;
  if snapshot_checksum(p_snapshot_id) <> v_snap.checksum then
    raise exception 'snapshot % no longer matches its checksum', p_snapshot_id;
  end if;
  delete from feature_values;
  insert into feature_values (entity_id, feature_name, value, updated_at)
    select entity_id, feature_name, value, updated_at from snapshot_rows where snapshot_id = p_snapshot_id;
  get diagnostics v_rows = row_count;
  update ingest_state set consumer_offset = v_snap.consumer_offset where id = 1;
  return v_rows;
end $$;
-- contract: demo_features (end)

-- ------------------------------------------------------------------------------------------------
-- Demo internals (not part of the contract; runbooks never use them).
set search_path = demo_warehouse;

-- Feature ingestion reads one user's recent events per update.
create index raw_events_user_ts on raw_events (user_id, event_ts);

-- A number in [0, 1) from a text: the demo's data is random-looking but the same on every run.
create function unit(p_key text) returns double precision
language sql immutable parallel safe as $$
  select (hashtextextended(p_key, 20250301) & 2147483647)::double precision / 2147483648.0
$$;

-- Purchase amounts: log-normal-like around a median of 35.00. The k-th purchase of a day takes
-- the quantile at a low-discrepancy point (golden-ratio sequence), so every day's amounts follow
-- the same distribution closely and a healthy day never looks drifted against the others.
create function purchase_amount(p_date date, p_k int) returns numeric(12, 2)
language sql immutable parallel safe as $$
  select round((35 * exp(0.6 * ln(x.p / (1 - x.p)) / 1.702))::numeric, 2)
  from (select least(0.9995, greatest(0.0005, mod((p_k * 0.6180339887498949
          + demo_warehouse.unit(p_date::text || '/amounts'))::numeric, 1)::double precision)) as p) as x
$$;

-- The p_n-th clickstream event of a day (0-based): user u000..u999 (each with its own click
-- propensity), item it0000..it0499, every tenth event a purchase, the rest views and clicks.
-- offset_seconds spreads 2000 events evenly over the day.
create function synthetic_events(p_date date, p_from int, p_to int)
returns table (n int, user_id text, item_id text, event_type text, amount numeric(12, 2),
               offset_seconds double precision)
language sql immutable as $$
  select g.n, g.uid, g.iid,
         case when g.n % 10 = 7 then 'purchase'
              when g.r_type < 0.05 + 0.25 * demo_warehouse.unit('propensity/' || g.uid) then 'click'
              else 'view' end,
         case when g.n % 10 = 7 then demo_warehouse.purchase_amount(p_date, g.n / 10) end,
         (g.n + g.r_second) * 43.2
  from (select s.n,
               'u' || lpad(floor(demo_warehouse.unit(p_date::text || '/user/' || s.n) * 1000)::int::text, 3, '0') as uid,
               'it' || lpad(floor(demo_warehouse.unit(p_date::text || '/item/' || s.n) * 500)::int::text, 4, '0') as iid,
               demo_warehouse.unit(p_date::text || '/type/' || s.n) as r_type,
               demo_warehouse.unit(p_date::text || '/second/' || s.n) as r_second
        from generate_series(p_from, p_to) as s(n)) as g
$$;

set search_path = demo_features;

-- The four online features of some users from the raw events up to offset p_upto, anchored at each
-- user's newest such event: a deterministic function of the event log, so replaying from a
-- snapshot's offset reproduces the values.
create function user_features(p_users text[], p_upto bigint)
returns table (entity_id text, feature_name text, value double precision)
language sql stable as $$
  with anchor as (
    select r.user_id, max(r.event_ts) as at
    from demo_warehouse.raw_events r
    where r.user_id = any (p_users) and r.event_id <= p_upto
    group by r.user_id),
  agg as (
    select a.user_id,
           count(*) filter (where r.event_type = 'view' and r.event_ts > a.at - interval '7 days') as views,
           count(*) filter (where r.event_type = 'click' and r.event_ts > a.at - interval '7 days') as clicks,
           count(*) filter (where r.event_type = 'purchase') as purchases,
           avg(r.amount) filter (where r.event_type = 'purchase') as avg_amount,
           count(*) filter (where r.event_ts > a.at - interval '1 day') as events_1d
    from anchor a
    join demo_warehouse.raw_events r
      on r.user_id = a.user_id and r.event_id <= p_upto
     and r.event_ts > a.at - interval '30 days' and r.event_ts <= a.at
    group by a.user_id)
  select agg.user_id, f.name, f.val
  from agg cross join lateral (values
    ('user_ctr_7d', case when agg.views = 0 then 0.0
                         else least(1.0, agg.clicks::double precision / agg.views) end),
    ('user_purchases_30d', agg.purchases::double precision),
    ('user_avg_amount_30d', coalesce(round(agg.avg_amount, 2), 0)::double precision),
    ('user_events_1d', agg.events_1d::double precision)) as f(name, val)
$$;

-- The offline store's features for one UTC day, from the warehouse table events (what the daily
-- pipeline loaded), anchored at the end of that day. Returns the rows written.
create function refresh_offline(p_day date) returns bigint
language plpgsql as $$
declare
  v_end  timestamptz := (p_day + 1)::timestamp at time zone 'UTC';
  v_rows bigint;
begin
  delete from demo_features.offline_features where computed_for = p_day;
  insert into demo_features.offline_features (entity_id, feature_name, value, computed_for)
  select a.user_id, f.name, f.val, p_day
  from (select e.user_id,
               count(*) filter (where e.event_type = 'view' and e.event_ts > v_end - interval '7 days') as views,
               count(*) filter (where e.event_type = 'click' and e.event_ts > v_end - interval '7 days') as clicks,
               count(*) filter (where e.event_type = 'purchase') as purchases,
               avg(e.amount) filter (where e.event_type = 'purchase') as avg_amount,
               count(*) filter (where e.event_ts > v_end - interval '1 day') as events_1d
        from demo_warehouse.events e
        where e.event_ts > v_end - interval '30 days' and e.event_ts <= v_end
        group by e.user_id) as a
  cross join lateral (values
    ('user_ctr_7d', case when a.views = 0 then 0.0
                         else least(1.0, a.clicks::double precision / a.views) end),
    ('user_purchases_30d', a.purchases::double precision),
    ('user_avg_amount_30d', coalesce(round(a.avg_amount, 2), 0)::double precision),
    ('user_events_1d', a.events_1d::double precision)) as f(name, val);
  get diagnostics v_rows = row_count;
  return v_rows;
end $$;

reset search_path;
reset client_min_messages;
