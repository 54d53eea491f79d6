-- The audit log: an append-only, hash-chained record of every tool call, approval and action.
--
-- Each entry stores the previous entry's hash and its own: hash = sha256 hex of
-- (prev_hash || canonical JSON of the entry's fields), computed by dev.rebound.audit.PgAuditLog
-- and re-computed by AuditVerifier. The first entry's prev_hash is 64 zeros.

create table audit_log (
  -- Gap-free: assigned from audit_head under its row lock (not a sequence, which skips numbers
  -- on rollback), so a missing number always means a deleted entry.
  seq          bigint      primary key check (seq > 0),
  -- Chosen in Java, truncated to microseconds (timestamptz's precision), so the value that was
  -- hashed is exactly the value stored.
  at           timestamptz not null,
  actor_type   text        not null check (actor_type in ('human', 'agent', 'system', 'drill')),
  actor_id     text        not null check (actor_id <> ''),
  action       text        not null check (action ~ '^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$'),
  subject_type text        not null check (subject_type <> ''),
  subject_id   text        not null check (subject_id <> ''),
  run_id       text,
  incident_id  text,
  details      jsonb       not null default '{}' check (jsonb_typeof(details) = 'object'),
  prev_hash    char(64)    not null check (prev_hash ~ '^[0-9a-f]{64}$'),
  hash         char(64)    not null unique check (hash ~ '^[0-9a-f]{64}$')
);

-- The timelines people ask for: one run, one incident (postmortem drafts).
create index audit_log_run on audit_log (run_id, seq) where run_id is not null;
create index audit_log_incident on audit_log (incident_id, seq) where incident_id is not null;

-- The head of the chain: exactly one row holding the last seq and hash. Appends serialise on
-- this row's lock, across every replica sharing the database, and the lock is released only
-- when the appending transaction commits or rolls back. Chosen over an advisory lock because:
--   * the lock and the state it guards are one row: the UPDATE that takes the lock also reads
--     the newest committed seq and hash (PostgreSQL re-reads a row version it waited for), so
--     no separate read can chain onto an older snapshot; a rollback restores the row, so the
--     next append reuses the seq and the log stays gap-free;
--   * it is the anchor for the end of the chain: the verifier compares the last entry with it,
--     which detects entries cut off at the tail (nothing after them shows a broken link);
--   * advisory lock keys are one database-wide namespace shared with everything else (Flyway
--     takes one to migrate), and are not covered by table privileges.
-- The cost: every append updates this row, so it churns dead tuples; batching appends
-- (PgAuditLog's group commit) keeps the number of updates well below the number of entries.
create table audit_head (
  singleton boolean  primary key default true check (singleton),
  last_seq  bigint   not null check (last_seq >= 0),
  last_hash char(64) not null check (last_hash ~ '^[0-9a-f]{64}$')
);
insert into audit_head (singleton, last_seq, last_hash) values (true, 0, repeat('0', 64));

-- Appends n entries (n >= 1) at the end of the chain, in one statement and so in one round trip:
-- the head row's lock is taken by the first UPDATE and held until the calling transaction
-- ends, with no client round trip inside when the call is the whole transaction (autocommit).
-- The caller (PgAuditLog) passes each entry's canonical JSON split around its seq, which only
-- the locked head knows; hash_i = sha256(hash_{i-1} || before_i || seq_i || after_i), hex.
-- PgAuditLog recomputes every returned hash in Java and fails the append if one differs.
--
-- Each statement of a plpgsql function takes a fresh snapshot (READ COMMITTED), and UPDATE
-- re-reads the newest version of a row it waited for, so the head read here is always the
-- latest committed one. Under REPEATABLE READ or SERIALIZABLE a concurrent append makes the
-- UPDATE fail with a serialisation error instead of chaining onto a stale head.
create function audit_append(
  p_before text[], p_after text[], p_at timestamptz[], p_actor_type text[], p_actor_id text[],
  p_action text[], p_subject_type text[], p_subject_id text[], p_run_id text[], p_incident_id text[],
  p_details text[])
returns table (out_seq bigint, out_prev_hash text, out_hash text)
language plpgsql as $$
declare
  n constant int := coalesce(cardinality(p_before), 0);
  base bigint;
  chained text;
  prevs text[] := '{}';
  hashes text[] := '{}';
begin
  if n = 0 then
    raise exception 'audit_append needs at least one entry';
  end if;
  update audit_head h set last_seq = h.last_seq + n where h.singleton
    returning h.last_seq - n, h.last_hash into base, chained;
  if not found then
    raise exception 'audit_head has no row';
  end if;
  for i in 1 .. n loop
    prevs := prevs || chained;
    chained := encode(sha256(convert_to(chained || p_before[i] || (base + i)::text || p_after[i], 'UTF8')), 'hex');
    hashes := hashes || chained;
  end loop;
  insert into audit_log (seq, at, actor_type, actor_id, action, subject_type, subject_id,
                         run_id, incident_id, details, prev_hash, hash)
  select base + e.i, e.at, e.actor_type, e.actor_id, e.action, e.subject_type, e.subject_id,
         e.run_id, e.incident_id, e.details::jsonb, prevs[e.i], hashes[e.i]
    from unnest(p_at, p_actor_type, p_actor_id, p_action, p_subject_type, p_subject_id,
                p_run_id, p_incident_id, p_details)
         with ordinality as e(at, actor_type, actor_id, action, subject_type, subject_id,
                              run_id, incident_id, details, i);
  update audit_head h set last_hash = chained where h.singleton;
  return query select base + g, prevs[g], hashes[g] from generate_series(1, n) as g;
end
$$;

-- Refuse every change to existing entries, including from the owner. Statement-level, so a
-- DELETE or UPDATE that matches no row is refused too.
create function audit_log_refuse_change() returns trigger
language plpgsql as $$
begin
  raise exception '% is append-only', tg_table_name
    using errcode = 'insufficient_privilege',
          hint = 'audit entries are never changed or removed; record a new entry instead';
end
$$;

create trigger audit_log_append_only
  before update or delete or truncate on audit_log
  for each statement execute function audit_log_refuse_change();

-- The head row is updated by every append, but never removed.
create trigger audit_head_keep
  before delete or truncate on audit_head
  for each statement execute function audit_log_refuse_change();

-- Privileges, as a second wall: nobody is granted UPDATE, DELETE or TRUNCATE on the log, not even
-- the role running this migration (normally the application role, which owns the table).
--
-- What this cannot stop: the table's owner may grant itself the privileges back and disable
-- the trigger (ALTER TABLE ... DISABLE TRIGGER), and a superuser ignores privileges and can set
-- session_replication_role = replica to skip triggers. Such a change is exactly what
-- AuditVerifier detects: a rewritten entry no longer matches its hash or its successor's
-- prev_hash, a removed one leaves a gap in seq, and entries cut from the tail no longer match
-- audit_head. Keep exports (rebound audit export) outside the database to detect an attacker
-- who rewrites the whole chain and the head.
revoke update, delete, truncate on audit_log from public;
revoke update, delete, truncate on audit_log from current_user;
revoke delete, truncate on audit_head from public;
revoke delete, truncate on audit_head from current_user;
