package dev.rebound.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.audit.ActorType;
import dev.rebound.error.ValidationException;
import dev.rebound.inventory.Person;
import dev.rebound.inventory.Role;
import dev.rebound.runbook.ApprovalPolicy;
import dev.rebound.runbook.HashPrefixes;
import dev.rebound.runbook.Risk;
import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * Approvals and rejections of steps. The rules, in the order they are checked (the first that
 * fails is the reason given, audited as {@code approval.refused} and counted):
 *
 * <ol>
 *   <li>who: the agent never approves; the drill bot only drill runs; a person must be named (not
 *       the break-glass admin token) and be in team.yaml; their token's role <em>and</em> their
 *       team.yaml roles must reach one of the roles the policy asks for the step's risk;
 *   <li>state: the run is proposed or running and not rolling back; the step awaits approval;
 *   <li>what: the attempt the person was shown, when they say which (console, Slack), is the one
 *       awaiting approval (a retried step renders the same action again, and the retry asks for a
 *       fresh approval: a button left from the failed attempt must not give it); the action hash
 *       the person was shown is the step's current one;
 *   <li>four eyes: the requester may not approve a step whose policy says so; one live approval
 *       per person per attempt.
 * </ol>
 *
 * When enough distinct, unexpired approvals exist the step becomes {@code approved} and may be
 * dispatched; everything is checked again in the claim. An instance that dispatches on approval
 * claims the step in the approval's own transaction (the claim and its re-checks unchanged), so
 * {@code approved} is never committed there and no poller can see it.
 */
final class ApprovalDesk {
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

  private final Core core;
  private final StepClaim claims;

  ApprovalDesk(Core core, StepClaim claims) {
    this.core = core;
    this.claims = claims;
  }

  /**
   * The approval as recorded, whether it completed the step's approvals, and the claim made in
   * the same transaction (empty when none was asked for, or the re-checks invalidated it;
   * complete once the transaction committed).
   */
  record Outcome(ObjectNode binding, boolean stepApproved, Future<Optional<StepClaim.Claimed>> claimed) {}

  /** What an approval given now does: the approval itself, the step's live approvals with it, whether they are enough. */
  private record Approving(ApprovalRecord mine, List<ApprovalRecord> live, boolean expiredOpen,
      List<String> approvers, int required, boolean complete) {
    List<ApprovalRecord> liveWithMine() {
      List<ApprovalRecord> all = new ArrayList<>(live);
      all.add(mine);
      return all;
    }
  }

  /**
   * Records the approval. With {@code claimNow}, an approval that completes the step's approvals
   * also claims the step in the same transaction, with every re-check the claim makes on its own:
   * the step goes from awaiting approval to running (or back to awaiting approval, its approvals
   * voided) in one commit with one audit append, instead of an approval transaction followed by a
   * claim transaction. The re-checks are made on the rows this transaction locked ({@link
   * StepClaim#claimApproving}), so the claim's writes go out with the approval's, in one flight
   * with the COMMIT; only when they find a change does the claim take its own round trip ({@link
   * StepClaim#claimIn}), which invalidates the approvals.
   */
  Future<Outcome> approve(Actor actor, String runId, String stepId, String shownActionHash, OptionalInt shownAttempt,
      boolean claimNow) {
    Optional<Refusal.Refused> who = mayDecideSomeStep(actor, "approve");
    if (who.isPresent()) {
      return refuse(actor, runId, stepId, "approve", who.get());
    }
    if (shownActionHash == null || shownActionHash.isBlank()) {
      return Future.failedFuture(new ValidationException(
          "action_hash is required: the 64 hex digits of the action you reviewed, as the run shows it"));
    }
    if (!SHA256.matcher(shownActionHash).matches()) {
      String shown = shownActionHash.length() > 80 ? shownActionHash.substring(0, 80) + "…" : shownActionHash;
      return Future.failedFuture(new ValidationException("action_hash '" + shown + "' is not a sha256: give the 64"
          + " lowercase hex digits of the action you reviewed, as the run shows it"));
    }
    if (!RunIds.plausible(runId)) {
      return Future.failedFuture(dev.rebound.error.NotFoundException.of("run", runId));
    }
    // As stored: timestamptz keeps microseconds, and the binding shows what was stored.
    Instant now = core.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    // One round trip for the reads (run and step locked, the step's open approvals, and the
    // steps for a claim's rendering), one for the writes, the claim's included, with the audit
    // entry and COMMIT.
    // A claim compares the runbook file as it is now: its read starts with the request, on a worker.
    var early = claimNow ? core.runbookReads.start(runId) : Optional.<RunbookReads.Started>empty();
    return core.store.inTransaction(tx -> {
          var locked = lockRunAndStep(tx, runId, stepId);
          var open = tx.openApprovalsOfNextAttempt(runId, stepId);
          var steps = claimNow ? tx.steps(runId) : Future.<List<StepRecord>>succeededFuture(List.of());
          return Future.all(locked, open, steps).compose(all -> {
              RunRecord run = locked.result().run();
              StepRecord step = locked.result().step();
              ApprovalPolicy.Requirement need = core.policy.requirementFor(Risk.of(step.risk()));
              Optional<Refusal.Refused> refused = eligibility(actor, run, step, need, "approve")
                  .or(() -> stateProblem(run, step))
                  .or(() -> attemptProblem(step, shownAttempt))
                  .or(() -> shownActionHash.equals(step.actionHash().orElse(null)) ? Optional.empty()
                      : Optional.of(Refusal.ACTION_CHANGED.because("the action of step " + stepId + " is now "
                          + HashPrefixes.against(step.actionHash().orElse("none"), shownActionHash) + ", not the "
                          + HashPrefixes.against(shownActionHash, step.actionHash().orElse("none"))
                          + " you reviewed: review it again")))
                  // The drill bot starts and alone approves drill runs: four eyes are for people.
                  .or(() -> need.distinctFromRequester() && actor.id().equals(run.requestedBy())
                      && !(actor.type() == ActorType.DRILL && run.kind() == RunKind.DRILL)
                      ? Optional.of(Refusal.REQUESTER_CANNOT_APPROVE.because(actor.id() + " requested this run and"
                          + " cannot approve its " + step.risk() + "-risk step " + stepId + ": someone else must"))
                      : Optional.empty());
              if (refused.isPresent()) {
                return Future.failedFuture(refused.get());
              }
              Approving approving = approving(actor, run, step, need, open.result(), now);
              if (!claimNow || !approving.complete()) {
                return Future.succeededFuture(record(tx, actor, run, step, approving, true));
              }
              // The writes wait for the step rendered from the file as it is now (its read started
              // with the request), which decides whether the claim goes out with them.
              return core.runbookReads.of(run, early)
                  .map(runbook -> claims.render(run, steps.result(), stepId, runbook))
                  .compose(fresh -> {
                    Outcome recorded = record(tx, actor, run, step, approving, false);
                    var claimed = claims.claimApproving(tx, fresh, step, approving.liveWithMine());
                    if (claimed.isPresent()) {
                      return Future.succeededFuture(new Outcome(recorded.binding(), true,
                          claimed.get().map(Optional::of)));
                    }
                    tx.updateStep(run.id(), stepId, Columns.set().put("state", StepState.APPROVED.dbName()));
                    return claims.claimIn(tx, run.id(), Future.succeededFuture(fresh), stepId)
                        .map(c -> new Outcome(recorded.binding(), true, Future.succeededFuture(c)));
                  });
            });
        })
        .onSuccess(outcome -> {
          if (outcome.stepApproved()) {
            core.metrics.approvalWait(Duration.ZERO.plusMillis(outcome.binding().path("waited_ms").asLong()));
          }
        })
        .recover(e -> refuse(actor, runId, stepId, "approve", e));
  }

  /** The approval {@code actor} gives now and what it completes; refuses a second one by the same person. */
  private Approving approving(Actor actor, RunRecord run, StepRecord step, ApprovalPolicy.Requirement need,
      List<ApprovalRecord> open, Instant now) {
    int attempt = step.attempt() + 1;
    if (open.stream().anyMatch(a -> a.approver().equals(actor.id()) && !a.expiredAt(now))) {
      throw Refusal.ALREADY_APPROVED.because(actor.id() + " already approved attempt " + attempt
          + " of step " + step.stepId() + ": a second approval must come from someone else");
    }
    List<ApprovalRecord> live = open.stream().filter(a -> !a.expiredAt(now)).toList();
    ApprovalRecord mine = new ApprovalRecord(0, run.id(), step.stepId(), attempt, actor.id(), actor.type().dbName(),
        actor.role().yamlName(), run.contentHash(), step.actionHash().orElseThrow(), step.targets(), now,
        now.plus(core.settings.approvalTtl()), Optional.empty(), Optional.empty(), Optional.empty());
    List<String> approvers = new ArrayList<>();
    live.forEach(a -> approvers.add(a.approver()));
    approvers.add(actor.id());
    List<String> distinct = approvers.stream().distinct().toList();
    boolean drill = actor.type() == ActorType.DRILL && run.kind() == RunKind.DRILL;
    return new Approving(mine, live, open.size() != live.size(), distinct, drill ? 1 : need.approvals(),
        drill || distinct.size() >= need.approvals());
  }

  /**
   * Records the approval; its writes are not awaited (the commit is, and fails on a duplicate).
   * With {@code markApproved} false a completed step is left awaiting approval for the claim made
   * in the same transaction to take ({@link StepClaim#claimApproving}).
   */
  private Outcome record(RunTx tx, Actor actor, RunRecord run, StepRecord step, Approving approving,
      boolean markApproved) {
    ApprovalRecord mine = approving.mine();
    Instant now = mine.createdAt();
    if (approving.expiredOpen()) {
      tx.voidApprovalsExpired(run.id(), step.stepId(), now);
    }
    // A concurrent approval by the same person fails this insert (unique index): the transaction
    // then rolls back with a ConflictException, refused below as ALREADY_APPROVED.
    tx.insertApproval(mine);
    List<String> distinct = approving.approvers();
    boolean complete = approving.complete();
    ObjectNode binding = binding(mine, distinct.size(), approving.required(), complete);
    tx.record(Events.step(actor, complete ? "step.approved" : "approval.recorded", run, step.stepId(),
        Events.details("attempt", mine.attempt(), "approver", actor.id(), "role", actor.role().yamlName(),
            "content_hash", run.contentHash(), "action_hash", mine.actionHash(), "targets", mine.targets(),
            "expires_at", mine.expiresAt().toString(), "approvals", distinct.size(),
            "approvals_required", approving.required(), "approved_by", distinct)));
    if (!complete) {
      tx.updateRun(run.id(), Columns.set().put("waiting_for", Waiting.approvalProgress(step.stepId(),
          distinct.size(), approving.required(), distinct)));
      return new Outcome(binding, false, Future.succeededFuture(Optional.empty()));
    }
    long waited = step.awaitingSince().map(OffsetDateTime::toInstant)
        .map(since -> Duration.between(since, now).toMillis()).orElse(0L);
    binding.put("waited_ms", waited);
    Columns runSet = Columns.set().nul("waiting_for");
    if (run.state() == RunState.PROPOSED) {
      runSet.put("state", RunState.RUNNING.dbName());
      tx.record(Events.run(actor, "run.started", run, Events.details("first_step", step.stepId())));
    }
    if (markApproved) {
      tx.updateStep(run.id(), step.stepId(), Columns.set().put("state", StepState.APPROVED.dbName()));
    }
    tx.updateRun(run.id(), runSet);
    return new Outcome(binding, true, Future.succeededFuture(Optional.empty()));
  }

  private record Locked(RunRecord run, StepRecord step) {}

  /** The run and the step, locked, in one flight; refusals when either is missing. */
  private static Future<Locked> lockRunAndStep(RunTx tx, String runId, String stepId) {
    var run = tx.lockRun(runId).recover(e -> Future.failedFuture(e instanceof dev.rebound.error.NotFoundException
        ? Refusal.RUN_NOT_FOUND.because("run '" + runId + "' not found") : e));
    var step = tx.lockStep(runId, stepId);
    return Future.all(run, step).map(both -> new Locked(run.result(), step.result().orElseThrow(
        () -> Refusal.STEP_NOT_FOUND.because("run " + runId + " has no step '" + stepId + "'"))));
  }

  private static ObjectNode binding(ApprovalRecord a, int have, int need, boolean complete) {
    ObjectNode out = RunRows.JSON.createObjectNode();
    out.put("run_id", a.runId()).put("step_id", a.stepId()).put("attempt", a.attempt())
        .put("approver", a.approver()).put("role", a.role()).put("content_hash", a.contentHash())
        .put("action_hash", a.actionHash());
    a.targets().forEach(out.putArray("targets")::add);
    out.put("created_at", a.createdAt().toString()).put("expires_at", a.expiresAt().toString())
        .put("single_use", true).put("approvals", have).put("approvals_required", need)
        .put("step_approved", complete);
    return out;
  }

  /** Rejects the step: it fails without running, and the run waits for retry, rollback or abort. */
  Future<Void> reject(Actor actor, String runId, String stepId, String reason) {
    Optional<Refusal.Refused> who = mayDecideSomeStep(actor, "reject");
    if (who.isPresent()) {
      return refuse(actor, runId, stepId, "reject", who.get());
    }
    if (reason == null || reason.isBlank()) {
      return Future.failedFuture(new ValidationException("reason is required: say why the step must not run"));
    }
    Reasons.check(reason);
    if (!RunIds.plausible(runId)) {
      return Future.failedFuture(dev.rebound.error.NotFoundException.of("run", runId));
    }
    return core.store.<Void>inTransaction(tx -> lockRunAndStep(tx, runId, stepId)
            .compose(locked -> {
              RunRecord run = locked.run();
              StepRecord step = locked.step();
              ApprovalPolicy.Requirement need = core.policy.requirementFor(Risk.of(step.risk()));
              Optional<Refusal.Refused> refused = eligibility(actor, run, step, need, "reject")
                  .or(() -> stateProblem(run, step));
              if (refused.isPresent()) {
                return Future.failedFuture(refused.get());
              }
              String error = "rejected by " + actor.id() + ": " + reason;
              tx.record(Events.step(actor, "step.rejected", run, stepId, Events.details("reason", reason,
                  "attempt", step.attempt() + 1)));
              return tx.updateStep(runId, stepId, Columns.set().put("state", StepState.FAILED.dbName())
                      .put("error", error).now("finished_at"))
                  .compose(n -> tx.voidApprovals(runId, stepId, "step rejected by " + actor.id(), core.now()))
                  .compose(n -> tx.updateRun(runId, Columns.set().put("waiting_for", Waiting.rejected(stepId,
                      actor.id()))))
                  .<Void>mapEmpty();
            }))
        .recover(e -> refuse(actor, runId, stepId, "reject", e));
  }

  /**
   * Whether {@code actor} may approve (or reject) steps of some risk: the rules of {@link
   * #eligibility} that need no run. Checked before anything the request carries (action hash,
   * reason, run id), so that a caller who may decide no step is refused (403, audited) and learns
   * nothing about what a valid request would look like; the HTTP routes call it through {@link
   * Engine#mayDecideSteps} before they read the body.
   */
  Optional<Refusal.Refused> mayDecideSomeStep(Actor actor, String verb) {
    if (actor.type() == ActorType.AGENT) {
      return Optional.of(Refusal.AGENT_CANNOT_APPROVE.because("the agent cannot " + verb + " steps: a person must"));
    }
    if (actor.type() == ActorType.DRILL) {
      return Optional.empty(); // its runs' kind decides (eligibility)
    }
    if (actor.type() != ActorType.HUMAN || !actor.person()) {
      return Optional.of(Refusal.NOT_A_PERSON.because("'" + actor.id() + "' is not a person: an approval must name"
          + " who gave it; use a token issued to a person in team.yaml"));
    }
    Optional<Person> person = core.team.get().person(actor.id());
    if (person.isEmpty()) {
      return Optional.of(Refusal.NOT_A_PERSON.because("'" + actor.id() + "' is not a person in team.yaml"));
    }
    List<String> anyRisk = core.policy.requirements().values().stream()
        .flatMap(need -> need.roles().stream()).distinct().toList();
    if (!reaches(actor, person.get(), anyRisk)) {
      return Optional.of(Refusal.ROLE_TOO_LOW.because((verb.endsWith("e") ? verb.substring(0, verb.length() - 1) : verb) + "ing a step needs one of "
          + String.join(", ", anyRisk)
          + " (the approval policy, for any risk); " + has(actor, person.get())));
    }
    return Optional.empty();
  }

  /** Whether {@code actor} may approve (or reject) steps of this risk on this run at all. */
  private Optional<Refusal.Refused> eligibility(Actor actor, RunRecord run, StepRecord step,
      ApprovalPolicy.Requirement need, String verb) {
    Optional<Refusal.Refused> anyStep = mayDecideSomeStep(actor, verb);
    if (anyStep.isPresent()) {
      return anyStep;
    }
    if (actor.type() == ActorType.DRILL) {
      return run.kind() == RunKind.LIVE
          ? Optional.of(Refusal.DRILL_BOT_ON_LIVE_RUN.because("the drill bot cannot " + verb + " steps of a live run"))
          : Optional.empty();
    }
    Person person = core.team.get().person(actor.id()).orElseThrow();
    if (!reaches(actor, person, need.roles())) {
      return Optional.of(Refusal.ROLE_TOO_LOW.because(step.risk() + "-risk step " + step.stepId() + " needs one of "
          + String.join(", ", need.roles()) + "; " + has(actor, person)));
    }
    return Optional.empty();
  }

  /** Both the token's role and team.yaml's roles reach one of {@code roles}. */
  private static boolean reaches(Actor actor, Person person, List<String> roles) {
    return roles.stream().map(Role::fromYaml).flatMap(Optional::stream)
        .anyMatch(required -> actor.role().allows(required) && person.has(required));
  }

  private static String has(Actor actor, Person person) {
    return actor.id() + " has " + (actor.roleFromToken() ? actor.role().yamlName() + " (token) and " : "")
        + person.highestRole().yamlName() + " (team.yaml)";
  }

  private static Optional<Refusal.Refused> stateProblem(RunRecord run, StepRecord step) {
    if ((run.state() != RunState.PROPOSED && run.state() != RunState.RUNNING) || run.work().filter("rollback"::equals)
        .isPresent()) {
      return Optional.of(Refusal.RUN_NOT_ACTIVE.because("run " + run.id() + " is " + run.state().dbName()
          + run.work().map(w -> " (" + w + ")").orElse("") + ": its steps can no longer be approved"));
    }
    if (step.state() != StepState.AWAITING_APPROVAL) {
      return Optional.of(Refusal.STEP_NOT_AWAITING_APPROVAL.because("step " + step.stepId() + " is "
          + step.state().dbName() + ", not awaiting approval"));
    }
    return Optional.empty();
  }

  /** An approval given for an attempt other than the one awaiting approval (the step failed and was retried since). */
  private static Optional<Refusal.Refused> attemptProblem(StepRecord step, OptionalInt shownAttempt) {
    int awaited = step.attempt() + 1;
    if (shownAttempt.isEmpty() || shownAttempt.getAsInt() == awaited) {
      return Optional.empty();
    }
    return Optional.of(Refusal.ATTEMPT_CHANGED.because("step " + step.stepId() + " awaits approval of attempt "
        + awaited + ", not the attempt " + shownAttempt.getAsInt() + " you reviewed: review it again"));
  }

  /** {@link #mayDecideSomeStep}, refused as every refusal is (audited, counted, 403). */
  Future<Void> checkMayDecide(Actor actor, String runId, String stepId, String verb) {
    Optional<Refusal.Refused> who = mayDecideSomeStep(actor, verb);
    return who.isPresent() ? refuse(actor, runId, stepId, verb, who.get()) : Future.succeededFuture();
  }

  /** Audits a refusal in a transaction of its own and fails with the matching error. */
  private <T> Future<T> refuse(Actor actor, String runId, String stepId, String request, Throwable e) {
    Refusal.Refused refused;
    if (e instanceof Refusal.Refused r) {
      refused = r;
    } else if (e instanceof dev.rebound.error.ConflictException c && c.getMessage().contains("already approved")) {
      refused = Refusal.ALREADY_APPROVED.because(c.getMessage());
    } else {
      return Future.failedFuture(e);
    }
    core.metrics.refusal(refused.reason.code());
    return core.store.inTransaction(tx -> {
          tx.record(Events.run(actor.type(), actor.id(), "approval.refused", runId, null, Events.details(
              "step_id", stepId, "request", request, "reason", refused.reason.code(), "message", refused.getMessage())));
          return Future.succeededFuture();
        })
        .transform(done -> Future.failedFuture(refused.toError()));
  }
}
