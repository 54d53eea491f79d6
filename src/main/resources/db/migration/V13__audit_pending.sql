-- Appends no longer take the chain's lock inside the caller's transaction.
--
-- V2's audit_append locked audit_head and held the lock until the appending transaction
-- committed, so concurrent writers (every engine transition appends inside its transaction)
-- queued behind one another for a lock hand-off plus a commit flush per entry. Now an append is a
-- plain INSERT into audit_pending in the caller's transaction (it commits or rolls back with the
-- state change, so the two are still atomic, and PostgreSQL's group commit works across writers),
-- and audit_seal moves committed pending entries into the chain, in id order, under the head
-- lock, in one short transaction of its own (dev.rebound.audit.AuditSealer calls it after
-- commits; readers call it before they read).
--
-- The window: between the writer's commit and the seal (milliseconds) an entry is durable but not
-- yet chained, so its content is protected only by the table's trigger and privileges, like any
-- other row. Once sealed, a change is detected by AuditVerifier as before.

create table audit_pending (
  -- Order of arrival. A sequence, so rolled-back appends leave holes here, never in audit_log.seq:
  -- if transaction A committed before B started, A's id is the smaller one, so causally ordered
  -- entries are sealed in that order.
  id           bigserial   primary key,
  -- The same checks as audit_log: anything the chain would refuse must fail the caller's
  -- transaction now, not the seal later (a row the seal cannot insert would block the chain).
  at           timestamptz not null,
  actor_type   text        not null check (actor_type in ('human', 'agent', 'system', 'drill')),
  actor_id     text        not null check (actor_id <> ''),
  action       text        not null check (action ~ '^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$'),
  subject_type text        not null check (subject_type <> ''),
  subject_id   text        not null check (subject_id <> ''),
  run_id       text,
  incident_id  text,
  details      jsonb       not null check (jsonb_typeof(details) = 'object'),
  -- The entry's canonical JSON (dev.rebound.audit.ChainHash) split where its seq goes: the seq is
  -- known only when sealing.
  before_seq   text        not null,
  after_seq    text        not null
);

-- A queue table: every row is deleted within milliseconds, so dead rows pile up faster than the
-- default autovacuum (20% of a near-empty table) clears them, and every seal's scan walks them.
-- Vacuum it after every thousand removed rows, without the cost-based pauses.
alter table audit_pending set (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 1000,
                               autovacuum_vacuum_cost_delay = 0);

-- Where each sealed entry came from: lets a writer find its entry when another replica sealed it,
-- and the unique index makes sealing one pending entry twice impossible. Not part of the hash (it
-- says nothing about what happened, only how the entry reached the chain).
alter table audit_log add column pending_id bigint;
create unique index audit_log_pending_id on audit_log (pending_id) where pending_id is not null;

-- Moves up to p_max committed pending entries into the chain, oldest id first, and returns them as
-- stored. One call is one statement: run it on its own (autocommit), so the head lock is held for
-- the seal only. Concurrent callers, in any replica, serialise on the head row's lock; each reads
-- audit_pending only after it holds the lock, with a fresh snapshot (READ COMMITTED: each
-- statement of a plpgsql function takes one), so it never sees an entry another seal took. Under
-- REPEATABLE READ or SERIALIZABLE a concurrent seal makes the head UPDATE fail with a
-- serialisation error instead of sealing onto a stale head.
--
-- hash_i = sha256(hash_{i-1} || before_i || seq_i || after_i), hex: exactly what V2's audit_append
-- computed, which AuditVerifier recomputes from the stored fields.
create function audit_seal(p_max int)
returns table (pending_id bigint, seq bigint, at timestamptz, actor_type text, actor_id text, action text,
               subject_type text, subject_id text, run_id text, incident_id text, details text,
               prev_hash text, hash text)
language plpgsql as $$
declare
  base bigint;
  chained text;
  n int := 0;
  ids bigint[] := '{}';
  prevs text[] := '{}';
  hashes text[] := '{}';
  r record;
begin
  if p_max is null or p_max < 1 then
    raise exception 'audit_seal needs a positive batch size, got %', p_max;
  end if;
  -- Nothing committed is pending (the common case for readers): no lock, no write.
  -- (Through the primary key's index, whose entries for sealed rows are soon marked dead: a seq
  -- scan would walk every dead row left since the last vacuum.)
  perform 1 from audit_pending p order by p.id limit 1;
  if not found then
    return;
  end if;
  update audit_head h set last_seq = h.last_seq where h.singleton
    returning h.last_seq, h.last_hash into base, chained;
  if not found then
    raise exception 'audit_head has no row';
  end if;
  for r in select p.id, p.before_seq, p.after_seq from audit_pending p order by p.id limit p_max loop
    n := n + 1;
    ids := ids || r.id;
    prevs := prevs || chained;
    chained := encode(sha256(convert_to(chained || r.before_seq || (base + n)::text || r.after_seq, 'UTF8')), 'hex');
    hashes := hashes || chained;
  end loop;
  if n = 0 then
    return;
  end if;
  -- The only DELETE audit_pending's trigger lets through (see audit_pending_guard).
  perform set_config('rebound.audit_sealing', 'on', true);
  return query
    with taken as (
      delete from audit_pending p where p.id = any(ids) returning p.*
    ), sealed as (
      insert into audit_log as l (seq, at, actor_type, actor_id, action, subject_type, subject_id,
                                  run_id, incident_id, details, prev_hash, hash, pending_id)
      select base + o.i, t.at, t.actor_type, t.actor_id, t.action, t.subject_type, t.subject_id,
             t.run_id, t.incident_id, t.details, o.prev, o.hash, t.id
        from unnest(ids, prevs, hashes) with ordinality as o(id, prev, hash, i)
        join taken t on t.id = o.id
      returning l.pending_id, l.seq, l.at, l.actor_type, l.actor_id, l.action, l.subject_type, l.subject_id,
                l.run_id, l.incident_id, l.details::text, l.prev_hash::text, l.hash::text
    )
    select * from sealed order by 2;
  perform set_config('rebound.audit_sealing', 'off', true);
  update audit_head h set last_seq = base + n, last_hash = chained where h.singleton;
end
$$;

-- audit_pending is written by appends and emptied by audit_seal only: UPDATE and TRUNCATE are
-- always refused; DELETE only while audit_seal runs (it sets a transaction-local flag). This
-- guards against mistakes, not against the table's owner, who can set the flag or drop the
-- trigger: an entry is tamper-evident only once sealed.
create function audit_pending_guard() returns trigger
language plpgsql as $$
begin
  if tg_op = 'DELETE' and current_setting('rebound.audit_sealing', true) = 'on' then
    return null;
  end if;
  raise exception 'audit_pending rows are only moved into audit_log by audit_seal (% refused)', tg_op
    using errcode = 'insufficient_privilege',
          hint = 'pending audit entries are never changed or removed; call audit_seal to chain them';
end
$$;

create trigger audit_pending_guard
  before update or delete or truncate on audit_pending
  for each statement execute function audit_pending_guard();

revoke update, truncate on audit_pending from public;
revoke update, truncate on audit_pending from current_user;

-- One way into the chain: V2's audit_append (lock held to the caller's commit) is gone.
drop function audit_append(text[], text[], timestamptz[], text[], text[], text[], text[], text[], text[], text[], text[]);
