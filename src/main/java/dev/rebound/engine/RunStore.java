package dev.rebound.engine;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Durable state of runs, steps, approvals and check results.
 *
 * <p><b>Atomicity:</b> every transition goes through {@link #inTransaction}: the body changes
 * state through {@link RunTx} and {@linkplain RunTx#record records} its audit events; the store
 * appends those events last, just before the commit, in the same transaction (chained there when
 * the chain's head is free, else pending for a seal after the commit; no transaction waits for the
 * head), and tells its listener about the entries once the commit succeeded and they are in the
 * chain. A failed body, append or commit leaves neither state nor record.
 *
 * <p><b>Threading:</b> non-blocking; returns Vert.x futures. <b>Idempotency:</b> reads are pure;
 * a transaction is not retried here (a caller that retries after an ambiguous commit failure
 * finds the state already changed and its guards refuse to apply it twice).
 */
public interface RunStore {

  <T> Future<T> inTransaction(Function<RunTx, Future<T>> body);

  Future<Optional<RunRecord>> run(String runId);

  /** The run's steps in order. */
  Future<List<StepRecord>> steps(String runId);

  /** Every approval given for the run's steps, oldest first. */
  Future<List<ApprovalRecord>> approvals(String runId);

  Future<List<CheckRecord>> checks(String runId);

  /**
   * The highest audit seq sealed for the run (0 when none). Does not wait for a seal (it is on
   * every view's path): an entry committed but not yet sealed gets a higher seq when it is, so a
   * cursor taken from here misses nothing (live timelines receive it as the next event).
   */
  Future<Long> lastSeq(String runId);

  /** Work a poller may try to claim. */
  record Dispatchable(Kind kind, String runId, Optional<String> stepId) {
    public enum Kind { APPROVED_STEP, EXPIRED_STEP_LEASE, RUN_WORK }
  }

  /**
   * Approved steps, running steps whose lease expired, and runs whose owed work is unclaimed or
   * whose lease expired; at most {@code limit}, oldest first.
   */
  Future<List<Dispatchable>> dispatchable(int limit);

  /** Extends this owner's lease on a running step; false when it no longer holds it. */
  Future<Boolean> renewStepLease(String runId, String stepId, String owner, Duration lease);

  /**
   * Extends this owner's lease on a run's work while that work is still {@code work}; false when
   * it no longer holds it, or the run now owes other work (a rollback asked for during its
   * validation): that lease is the new work's, and runs out unless its owner does it.
   */
  Future<Boolean> renewRunLease(String runId, String owner, String work, Duration lease);

  /**
   * Seals audit entries that committed but are not in the chain yet (left by a killed process, or
   * whose seal failed): at start-up and on the poller's timer, as a safety net.
   */
  Future<Void> sealAudit();

  /** Number of runs per state, for the runs-by-state gauge. */
  Future<java.util.Map<RunState, Long>> countByState();
}
