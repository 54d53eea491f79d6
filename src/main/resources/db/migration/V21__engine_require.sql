-- A check that aborts the transaction it runs in when it does not hold.
--
-- The engine pipelines a transition's statements and sends COMMIT right behind them
-- (dev.rebound.engine.PipelinedTx), so a check made in Java on a statement's answer comes too late
-- to stop that COMMIT: only an error raised by PostgreSQL itself aborts the transaction and turns
-- the COMMIT into a rollback. Statements whose answer must meet a condition for the transition to
-- stand select rebound_require(condition, message); the message is the error the caller sees.
create function rebound_require(p_ok boolean, p_message text) returns boolean
language plpgsql as $$
begin
  if p_ok is not true then
    raise exception '%', p_message using errcode = 'P0001';
  end if;
  return true;
end
$$;
