-- Engine transitions chain their audit entries in their own transaction when the chain's head is
-- free, instead of leaving them in audit_pending for a seal after the commit.
--
-- Since V13 an append inside a caller's transaction is a plain INSERT into audit_pending, and a
-- seal (its own statement, its own commit) chains it after the caller committed. For an engine
-- transition that seal is on the path to the step's event (a run's timeline, the next step), and
-- it costs a round trip and a second commit flush per transition. audit_append_chained is what an
-- engine transition calls as the last statement before its COMMIT:
--
--   * the chain's head is free (no seal, standalone append or other transition holds it): it is
--     locked without waiting (SKIP LOCKED), the entries committed to audit_pending before this
--     statement are sealed first, then the caller's entries are chained straight into audit_log
--     (audit_append_sealed, V18), all in the caller's transaction: they commit or roll back with
--     its state change, and the head stays locked until that COMMIT, sent right behind;
--   * the head is locked by someone else: the entries go to audit_pending exactly as before
--     (nobody waits for the head inside a caller's transaction), and are sealed after the commit.
--
-- Causal order holds either way: an entry committed before this statement started is either
-- already chained or still pending, and pending entries are sealed before the caller's own; an
-- entry committed later belongs to a transaction concurrent with the caller's. Seq stays gap-free
-- (the head's update rolls back with the caller), and a seal or standalone append that wants the
-- head meanwhile waits for the caller's COMMIT, a round trip at most.
--
-- Only under READ COMMITTED: FOR UPDATE in an older snapshot (REPEATABLE READ, SERIALIZABLE) would
-- fail the caller's transaction when the head moved since the snapshot, and could not see the
-- pending entries committed since. Other levels always take the pending path.
--
-- Returns every entry chained here, in seq order, as audit_append_sealed does ("appended" marks
-- the caller's, the others are other writers' pending entries sealed along); on the pending path
-- it returns the caller's entries with their pending_id and a null seq, in the order given.
create function audit_append_chained(p_at timestamptz[], p_actor_type text[], p_actor_id text[],
                                     p_action text[], p_subject_type text[], p_subject_id text[],
                                     p_run_id text[], p_incident_id text[], p_details text[],
                                     p_before_seq text[], p_after_seq text[], p_max int)
returns table (appended boolean, pending_id bigint, seq bigint, at timestamptz, actor_type text, actor_id text,
               action text, subject_type text, subject_id text, run_id text, incident_id text, details text,
               prev_hash text, hash text)
language plpgsql as $$
#variable_conflict use_column
begin
  if coalesce(cardinality(p_before_seq), 0) = 0 then
    return;
  end if;
  if current_setting('transaction_isolation') = 'read committed' then
    perform 1 from audit_head h where h.singleton for update skip locked;
    if found then
      return query select * from audit_append_sealed(p_at, p_actor_type, p_actor_id, p_action, p_subject_type,
                                                     p_subject_id, p_run_id, p_incident_id, p_details, p_before_seq,
                                                     p_after_seq, p_max);
      return;
    end if;
  end if;
  -- Ids follow the order given (one sequence, rows inserted in that order).
  return query
    with written as (
      insert into audit_pending as p (at, actor_type, actor_id, action, subject_type, subject_id, run_id,
                                      incident_id, details, before_seq, after_seq)
      select e.at, e.actor_type, e.actor_id, e.action, e.subject_type, e.subject_id, e.run_id, e.incident_id,
             e.details::jsonb, e.before_seq, e.after_seq
        from unnest(p_at, p_actor_type, p_actor_id, p_action, p_subject_type, p_subject_id, p_run_id,
                    p_incident_id, p_details, p_before_seq, p_after_seq) with ordinality
          as e(at, actor_type, actor_id, action, subject_type, subject_id, run_id, incident_id, details,
               before_seq, after_seq, i)
       order by e.i
      returning true, p.id, null::bigint, p.at, p.actor_type, p.actor_id, p.action, p.subject_type, p.subject_id,
                p.run_id, p.incident_id, p.details::text, null::text, null::text
    )
    select * from written order by 2;
end
$$;
