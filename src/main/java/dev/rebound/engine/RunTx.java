package dev.rebound.engine;

import dev.rebound.audit.AuditEvent;
import dev.rebound.engine.check.CheckResult;
import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The operations of one transaction of a {@link RunStore}. Rows read with {@code lock…} stay
 * locked until the transaction ends, so checks made on them hold when the transaction commits.
 *
 * <p>Statements reach the database in the order they are called, and may be pipelined: a body
 * need not wait for a write whose answer it does not use before issuing the next one or
 * returning. The store commits only once every statement issued succeeded, including the checks
 * an operation's statement makes in the database (such as {@link #markUsed}'s row count);
 * otherwise it rolls back and fails with the first failure.
 */
public interface RunTx {

  /** The run, locked; fails with {@code NotFoundException} when there is none. */
  Future<RunRecord> lockRun(String runId);

  /**
   * Locks the run's row (as {@link #lockRun} does, but reads nothing): the first statement of a
   * transaction that locks or writes a step and then writes the run, so that it takes the locks in
   * the engine's order, the run before its steps (see the package's documentation).
   */
  Future<Void> lockRunBeforeSteps(String runId);

  /** The run's steps in order (not locked). */
  Future<List<StepRecord>> steps(String runId);

  /** One step, locked. */
  Future<Optional<StepRecord>> lockStep(String runId, String stepId);

  Future<Void> insertRun(RunRecord run, Columns lease);

  /**
   * Fails with {@link dev.rebound.error.NotFoundException} when there is no such incident; else
   * keeps its row until the commit (a run is never linked to an incident deleted meanwhile).
   */
  Future<Void> lockIncident(String incidentId);

  /**
   * Locks the incident against other proposals by the agent until the transaction ends (a
   * person's run creation, which only {@link #lockIncident}s, still goes ahead) and returns the
   * id of its newest run that is not final, if any: so two proposals for one incident, from two
   * chat turns or two replicas, cannot both see no active run.
   */
  Future<Optional<String>> lockIncidentForProposal(String incidentId);

  Future<Void> insertStep(StepRecord step);

  /**
   * The atomic claim: {@code approved → running}, lease taken, attempt incremented, in one
   * UPDATE that matches only an approved step. Empty when another claimer (or an abort, or a
   * rollback) got there first.
   */
  Future<Optional<StepRecord>> claimApproved(String runId, String stepId, String owner, Duration lease);

  /**
   * The claim made in the transaction that locked the step and completed its approvals (so it
   * never commits {@code approved}): {@code awaiting_approval → running} with the lease taken, the
   * attempt incremented and {@code set} applied, in one UPDATE that must match the step at
   * {@code attempt} still awaiting approval, or the transaction fails. The step's row as claimed.
   */
  Future<StepRecord> claimAwaitingApproval(String runId, String stepId, int attempt, String owner, Duration lease,
      Columns set);

  /** Takes over a running step whose lease expired (recovery); empty when it is not so any more. */
  Future<Optional<StepRecord>> takeOverExpired(String runId, String stepId, String owner, Duration lease);

  /** Claims the run's owed work when unclaimed or its lease expired; empty otherwise. */
  Future<Optional<RunRecord>> claimWork(String runId, String owner, Duration lease);

  /** Updates a step; returns the number of rows changed (0 or 1). */
  Future<Integer> updateStep(String runId, String stepId, Columns set);

  /** Updates a step only while it is running under {@code owner}'s lease. */
  Future<Integer> updateOwnedStep(String runId, String stepId, String owner, Columns set);

  Future<Integer> updateRun(String runId, Columns set);

  /** Updates a run only while {@code owner} holds the lease on its work and the work is {@code work}. */
  Future<Integer> updateOwnedRun(String runId, String owner, String work, Columns set);

  /**
   * Open approvals (neither used nor voided) of the step's attempt as this transaction sees it
   * now, e.g. right after {@link #claimApproved} in the same flight; locked.
   */
  Future<List<ApprovalRecord>> openApprovalsOfCurrentAttempt(String runId, String stepId);

  /** Open approvals for the step's next attempt (the one an approval given now is for); locked. */
  Future<List<ApprovalRecord>> openApprovalsOfNextAttempt(String runId, String stepId);

  /** Fails with {@code ConflictException} when the person already holds a live approval. */
  Future<ApprovalRecord> insertApproval(ApprovalRecord approval);

  Future<Void> markUsed(List<Long> approvalIds, Instant at);

  /**
   * Marks the open approvals of these (distinct) approvers for the step's {@code attempt} used;
   * the transaction fails unless there is one for each, as with {@link #markUsed}.
   */
  Future<Void> markUsedBy(String runId, String stepId, int attempt, List<String> approvers, Instant at);

  /** Voids every open approval of the step; returns how many. */
  Future<Integer> voidApprovals(String runId, String stepId, String reason, Instant at);

  /** Voids the open approvals of the step that expired by {@code now}; returns how many. */
  Future<Integer> voidApprovalsExpired(String runId, String stepId, Instant now);

  Future<Void> insertChecks(String runId, Optional<String> stepId, String phase, int attempt,
      List<CheckResult> results);

  /** As above, each result stored with its check's position in the runbook's list ({@code idx}). */
  Future<Void> insertChecks(String runId, Optional<String> stepId, String phase, int attempt, List<Integer> positions,
      List<CheckResult> results);

  /** Queues an audit entry; appended after the body, before the commit, in this order. */
  void record(AuditEvent event);
}
