-- The demo's seed state (knowledge/docs/demo-platform.md, "Seed state"), relative to now in UTC.
-- Runs right after schema.sql; the RAG tables and the serving instances are seeded from Java.

-- ---------------------------------------------------------------- registry
insert into demo_registry.model_versions
  (model_name, version, artifact_uri, artifact_path, sha256, training_dataset, training_snapshot, status,
   registered_at)
values
  ('ranker', 10, 'file:./var/demo/models/ranker-v10.onnx', './var/demo/models/ranker-v10.onnx',
   'c82985854588615519acbaba802a362cb53ee427ed6a07ce9865a0bb2e2b93a3', 'ranker-training', 'snap-2c9d4b17',
   'approved', now() - interval '8 days'),
  ('ranker', 11, 'file:./var/demo/models/ranker-v11.onnx', './var/demo/models/ranker-v11.onnx',
   '5b754d62a21adfbbf72756722450b34359dcc5a30611061c3ffc154ba780729d', 'ranker-training', 'snap-2c9d4b17',
   'approved', now() - interval '7 days'),
  ('ranker', 12, 'file:./var/demo/models/ranker-v12.onnx', './var/demo/models/ranker-v12.onnx',
   '1f6cc03f4e104254e551d463c4a37e241703d23aba179b04e1c64a926db4c515', 'ranker-training', 'snap-5e1f0c2a',
   'approved', now() - interval '20 hours'),
  ('fraud', 6, 'file:./var/demo/models/fraud-v6.onnx', './var/demo/models/fraud-v6.onnx',
   '6531d4de28fd080468be672448156db13c9ecbec6a828ab73c559e6eabcc88ea', 'fraud-training', 'snap-7a41e9d3',
   'approved', now() - interval '70 hours'),
  ('fraud', 7, 'file:./var/demo/models/fraud-v7.onnx', './var/demo/models/fraud-v7.onnx',
   '950054e5f8b53582379ebd8d4292dc08d5ad88ae5dfafc15c85e85adb42e0220', 'fraud-training', 'snap-7a41e9d3',
   'approved', now() - interval '50 hours');

-- Deployment ids in the contract's order: ranker 11 (1), ranker 12 (2), fraud 6 (3), fraud 7 (4).
insert into demo_registry.deployments (model_name, version, deployed_at, deployed_by, reason) values
  ('ranker', 11, now() - interval '7 days' + interval '2 hours', 'ci', 'scheduled promotion'),
  ('ranker', 12, now() - interval '18 hours', 'ci', 'scheduled promotion'),
  ('fraud', 6, now() - interval '69 hours', 'ci', 'scheduled promotion'),
  ('fraud', 7, now() - interval '49 hours', 'ci', 'scheduled promotion');

-- ---------------------------------------------------------------- warehouse
-- 35 days of clickstream before today, 2000 events a day, in arrival order.
insert into demo_warehouse.raw_events
  (event_date, event_ts, user_id, item_id, event_type, amount, source_file, ingested_at)
select d.day,
       (d.day::timestamp at time zone 'UTC') + s.offset_seconds * interval '1 second',
       s.user_id, s.item_id, s.event_type, s.amount,
       'clickstream/' || to_char(d.day, 'YYYY-MM-DD') || '.jsonl',
       (d.day::timestamp at time zone 'UTC') + (s.offset_seconds + 3) * interval '1 second'
from (select (current_date - k)::date as day from generate_series(35, 1, -1) as k) as d
cross join lateral demo_warehouse.synthetic_events(d.day, 0, 1999) as s
order by d.day, s.n;

insert into demo_warehouse.landing_manifests (source, event_date, row_count, status, arrived_at)
select 'clickstream', event_date, count(*), 'complete',
       ((event_date + 1)::timestamp at time zone 'UTC') + interval '5 minutes'
from demo_warehouse.raw_events group by event_date;

insert into demo_warehouse.pipelines (name, paused, schedule, last_run_at, last_success_at) values
  ('events-daily', false, '0 2 * * *', null, null),
  ('ranker-retrain', false, '0 4 * * *', now() - interval '20 hours', now() - interval '20 hours'),
  ('fraud-retrain', false, '0 5 * * 0', now() - interval '50 hours', now() - interval '50 hours');

-- The scheduled run of each day loaded it the next day at 02:00 UTC (never later than now).
insert into demo_warehouse.pipeline_jobs
  (job_id, pipeline, kind, date_from, date_to, status, partitions_total, partitions_done, rows_written,
   created_at, started_at, finished_at)
select 'run-' || substr(md5('events-daily/' || m.event_date), 1, 8), 'events-daily', 'scheduled',
       m.event_date, m.event_date, 'succeeded', 1, 1, m.row_count,
       least(((m.event_date + 1)::timestamp at time zone 'UTC') + interval '2 hours', now()),
       least(((m.event_date + 1)::timestamp at time zone 'UTC') + interval '2 hours', now()),
       least(((m.event_date + 1)::timestamp at time zone 'UTC') + interval '2 hours 38 seconds', now())
from demo_warehouse.landing_manifests m;

insert into demo_warehouse.events (event_date, event_id, event_ts, user_id, item_id, event_type, amount, loaded_at)
select r.event_date, r.event_id, r.event_ts, r.user_id, r.item_id, r.event_type, r.amount, j.finished_at
from demo_warehouse.raw_events r
join demo_warehouse.pipeline_jobs j on j.date_from = r.event_date and j.kind = 'scheduled';

insert into demo_warehouse.partitions (table_name, partition_date, status, row_count, loaded_at, loaded_by_job, updated_at)
select 'events', j.date_from, 'ready', j.rows_written, j.finished_at, j.job_id, j.finished_at
from demo_warehouse.pipeline_jobs j where j.kind = 'scheduled';

update demo_warehouse.pipelines p
set last_run_at = j.started, last_success_at = j.finished
from (select max(started_at) as started, max(finished_at) as finished
      from demo_warehouse.pipeline_jobs where pipeline = 'events-daily') as j
where p.name = 'events-daily';

-- ---------------------------------------------------------------- training datasets
insert into demo_warehouse.datasets (dataset, current_snapshot, updated_at) values
  ('ranker-training', 'snap-5e1f0c2a', now() - interval '1 day'),
  ('fraud-training', 'snap-7a41e9d3', now() - interval '3 days');

insert into demo_warehouse.dataset_snapshots
  (dataset, snapshot_id, manifest_path, manifest_sha256, row_count, parts, created_at)
values
  ('ranker-training', 'snap-2c9d4b17', 'var/demo/datasets/ranker-training/snapshots/snap-2c9d4b17/MANIFEST.sha256',
   '698764fd81416f381d176bf3769b07629fc85a158d47c08b7b77ace8c835a0a8', 900, 2, now() - interval '8 days'),
  ('ranker-training', 'snap-5e1f0c2a', 'var/demo/datasets/ranker-training/snapshots/snap-5e1f0c2a/MANIFEST.sha256',
   'c6f9deb377e6fd1e89665856f18ce7406e4939ac8702747024c9e0b7fcad66ce', 1000, 2, now() - interval '1 day'),
  ('fraud-training', 'snap-7a41e9d3', 'var/demo/datasets/fraud-training/snapshots/snap-7a41e9d3/MANIFEST.sha256',
   '1f9046aeb33a8972aa1084670bceba956a392d3ae40a4c290108685fcfc6e3d2', 800, 1, now() - interval '3 days');

-- ---------------------------------------------------------------- features
-- The online store is what replaying every raw event gives; the offline store has yesterday.
insert into demo_features.ingest_state (id, paused, consumer_offset, last_ingested_at)
select 1, false, coalesce(max(event_id), 0), now() from demo_warehouse.raw_events;

insert into demo_features.feature_values (entity_id, feature_name, value, updated_at)
select f.entity_id, f.feature_name, f.value, now()
from demo_features.user_features(
       (select array_agg(distinct user_id) from demo_warehouse.raw_events),
       (select max(event_id) from demo_warehouse.raw_events)) as f;

select demo_features.refresh_offline(current_date - 1);

select demo_features.create_snapshot('scheduled');
