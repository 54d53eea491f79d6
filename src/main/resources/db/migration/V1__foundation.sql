-- Foundation: the checks and tables every later migration builds on.

-- pgvector is created by scripts/setup.sh as a superuser (the application role cannot create
-- extensions). Refuse to go on without it, with a message that says what to do, instead of
-- failing later on the first "type vector does not exist".
do $$
begin
  if not exists (select 1 from pg_extension where extname = 'vector') then
    raise exception 'pgvector extension "vector" is not installed in this database: run scripts/setup.sh';
  end if;
end
$$;

-- Who approved which exact content of a runbook version. The content hash is part of the key:
-- an approval is for the bytes that were reviewed, and is void once the file changes. Rows are
-- only ever inserted (re-approving the same content is a no-op).
create table runbook_approvals (
  runbook_id   text        not null,
  version      integer     not null check (version > 0),
  content_hash char(64)    not null check (content_hash ~ '^[0-9a-f]{64}$'),
  approved_by  text        not null check (approved_by <> ''),
  approved_at  timestamptz not null default now(),
  comment      text,
  primary key (runbook_id, version, content_hash, approved_by)
);

-- API bearer tokens. Only the SHA-256 of a token is stored: a leaked table (or backup) does not
-- let anyone call the API. A token is revoked by setting revoked_at, never deleted, so the audit
-- log's references to who held it stay resolvable.
create table api_tokens (
  token_sha256 char(64)    primary key check (token_sha256 ~ '^[0-9a-f]{64}$'),
  person_id    text        not null check (person_id <> ''),
  role         text        not null check (role in ('viewer', 'responder', 'approver', 'admin')),
  label        text        not null default '',
  created_at   timestamptz not null default now(),
  revoked_at   timestamptz
);

create index api_tokens_person on api_tokens (person_id);
