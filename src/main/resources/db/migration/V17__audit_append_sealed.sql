-- Group commit for standalone audit appends (dev.rebound.audit.AppendBatcher): a batch of entries
-- that belong to no caller's transaction (LLM calls, tool calls, chat) is inserted into
-- audit_pending and sealed into the chain in ONE statement, so one round trip and one commit
-- flush serve the whole batch, and a failure anywhere (a row the table refuses, a broken head)
-- rolls all of it back: no entry of a failed batch is left pending or chained.
--
-- The arrays are the columns of audit_pending, one element per entry, in the order the appends
-- were made (their ids, and so their seqs, follow that order). p_max is the seal's batch size.
-- Returns every entry this call sealed, in seq order, as audit_seal does; "appended" marks the
-- ones inserted here (others are committed pending entries of other writers that were sealed
-- along with them, whose waiters can be answered from this result).
--
-- Run it on its own (autocommit): the head lock taken by the seal is then held to the commit of
-- this statement only. The inserts come before the lock, so the lock is held for the seal only.
create function audit_append_sealed(p_at timestamptz[], p_actor_type text[], p_actor_id text[], p_action text[],
                                    p_subject_type text[], p_subject_id text[], p_run_id text[],
                                    p_incident_id text[], p_details text[], p_before_seq text[],
                                    p_after_seq text[], p_max int)
returns table (appended boolean, pending_id bigint, seq bigint, at timestamptz, actor_type text, actor_id text,
               action text, subject_type text, subject_id text, run_id text, incident_id text, details text,
               prev_hash text, hash text)
language plpgsql as $$
#variable_conflict use_column
declare
  ours bigint[];
  n bigint;
begin
  with inserted as (
    insert into audit_pending (at, actor_type, actor_id, action, subject_type, subject_id, run_id, incident_id,
                               details, before_seq, after_seq)
    select e.at, e.actor_type, e.actor_id, e.action, e.subject_type, e.subject_id, e.run_id, e.incident_id,
           e.details::jsonb, e.before_seq, e.after_seq
      from unnest(p_at, p_actor_type, p_actor_id, p_action, p_subject_type, p_subject_id, p_run_id, p_incident_id,
                  p_details, p_before_seq, p_after_seq) with ordinality
        as e(at, actor_type, actor_id, action, subject_type, subject_id, run_id, incident_id, details, before_seq,
             after_seq, i)
     order by e.i
    returning audit_pending.id
  )
  select array_agg(inserted.id) into ours from inserted;
  if ours is null then
    return;
  end if;
  -- Entries committed before ours (by other writers) are sealed first, up to p_max a call: repeat
  -- until ours are in. The head lock, taken by the first call, is held to the end of this
  -- transaction, so the calls chain on one another with nothing between them.
  loop
    return query select s.pending_id = any(ours), s.* from audit_seal(p_max) s;
    get diagnostics n = row_count;
    exit when not exists (select 1 from audit_pending p where p.id = any(ours));
    if n = 0 then
      raise exception 'audit_seal sealed nothing while % appended entries wait', cardinality(ours);
    end if;
  end loop;
end
$$;
