-- Retrieval: documents (runbooks, knowledge docs, assets, incidents) split into chunks, each with
-- an embedding (pgvector, HNSW cosine) and a tsvector; and the incident history.
--
-- The embedding model and its dimension are recorded once, in retrieval_index. Vectors of two
-- models are never mixed: a different configured model makes the index "reindex required"
-- until `rebound index --reindex` empties it, changes the column's dimension and rebuilds.
-- That is the only DDL the application runs (dev.rebound.retrieval.PgIndexStore#reset).

create table retrieval_index (
  singleton  boolean     primary key default true check (singleton),
  model      text        not null check (model <> ''),
  dimension  integer     not null check (dimension between 1 and 16000),
  created_at timestamptz not null default now(),
  indexed_at timestamptz not null default now()
);

-- One row per indexed document. content_hash covers everything the chunks were made from (and
-- the chunker's version), so an unchanged hash means "nothing to embed".
create table retrieval_documents (
  kind         text        not null check (kind in ('runbook', 'incident', 'doc', 'asset')),
  doc_id       text        not null check (doc_id <> ''),
  title        text        not null,
  source       text        not null,
  content_hash char(64)    not null check (content_hash ~ '^[0-9a-f]{64}$'),
  -- Field-weighted full text of the whole document: A title, B summary/symptoms/keywords,
  -- C body. Ranked per document, so a long runbook is not split into weak partial matches.
  tsv          tsvector    not null,
  indexed_at   timestamptz not null default now(),
  primary key (kind, doc_id)
);

create index retrieval_documents_tsv on retrieval_documents using gin (tsv);

create table retrieval_chunks (
  id        bigint generated always as identity primary key,
  kind      text    not null,
  doc_id    text    not null,
  ord       integer not null check (ord >= 0),
  heading   text    not null,
  body      text    not null,
  -- all-MiniLM-L6-v2 by default; the dimension changes only through a reindex.
  embedding vector(384) not null,
  tsv       tsvector not null,
  foreign key (kind, doc_id) references retrieval_documents (kind, doc_id) on delete cascade,
  unique (kind, doc_id, ord)
);

-- Cosine distance (<=>): embeddings are compared by angle. Filtered queries (kind = …) need
-- SET hnsw.iterative_scan = relaxed_order in their transaction, or a rare kind returns fewer
-- than k rows (DESIGN.md pitfalls).
create index retrieval_chunks_embedding on retrieval_chunks using hnsw (embedding vector_cosine_ops);
create index retrieval_chunks_kind on retrieval_chunks (kind);

-- Past incidents: imported from knowledge/incidents/*.md (source 'file', kept in sync with the
-- files) or reported through POST /api/incidents (source 'api', never removed by the sync).
create table incidents (
  id            text        primary key check (id ~ '^[A-Za-z0-9][A-Za-z0-9._-]*$'),
  title         text        not null check (title <> ''),
  occurred_at   timestamptz not null,
  severity      text        not null check (severity in ('sev1', 'sev2', 'sev3', 'sev4')),
  status        text        not null check (status in ('open', 'mitigated', 'resolved')),
  assets        text[]      not null default '{}',
  symptoms      text[]      not null default '{}',
  detected_by   text        check (detected_by in ('alert', 'customer', 'engineer', 'drill')),
  duration_s    bigint      check (duration_s >= 0),
  root_cause    text,
  resolution    text,
  runbooks_used text[]      not null default '{}',
  body          text        not null default '',
  source        text        not null check (source in ('file', 'api')),
  file          text,
  content_hash  char(64)    not null check (content_hash ~ '^[0-9a-f]{64}$'),
  created_at    timestamptz not null default now(),
  updated_at    timestamptz not null default now()
);

create index incidents_assets on incidents using gin (assets);
