package dev.rebound.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.audit.AuditEntry;
import dev.rebound.audit.AuditLog;
import dev.rebound.audit.Masker;
import dev.rebound.config.SettleSettings;
import dev.rebound.engine.action.ActionExecutor;
import dev.rebound.engine.check.CheckRunner;
import dev.rebound.error.ForbiddenException;
import dev.rebound.error.NotFoundException;
import dev.rebound.inventory.TeamDirectory;
import dev.rebound.runbook.ApprovalPolicy;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The run engine: the one entry point for starting runs, approving, rejecting, retrying, rolling
 * back and aborting, and reading a run. Build one per process with {@link #builder}, {@link
 * #start()} it (recovery, then the poller) and {@link #stop()} it on shutdown (waits for the work
 * running here). Several engines, in one process or many, may share a database: claims are
 * atomic.
 *
 * <p>Every method returns a Vert.x future and never blocks the caller's thread; refusals fail the
 * future with a {@code dev.rebound.error} exception (403 who, 409 state, 404, 400). Every
 * transition is published after its commit on the event bus address {@link #eventAddress} as
 * the audit entry's JSON line, so live timelines see work done by this instance's poller too.
 */
public final class Engine {
  private final Core core;
  private final RunCreation creation;
  private final ApprovalDesk desk;
  private final RunDecisions decisions;
  private final Dispatcher dispatcher;
  private final RunRequests requests;
  private final RunQueries queries;

  private Engine(Core core, RunQueries queries) {
    this.core = core;
    this.queries = queries;
    RunWork work = new RunWork(core);
    StepClaim claims = new StepClaim(core);
    StepCompletion completion = new StepCompletion(core);
    StepExecution steps = new StepExecution(core, claims, completion);
    StepRecovery recovery = new StepRecovery(core, claims, steps, completion);
    this.creation = new RunCreation(core);
    this.desk = new ApprovalDesk(core, claims);
    this.decisions = new RunDecisions(core);
    this.dispatcher = new Dispatcher(core, steps, recovery, work);
    this.requests = new RunRequests(core, creation);
    core.runWork = dispatcher::runWork;
  }

  public static Builder builder(Vertx vertx, Pool pool, AuditLog audit) {
    return new Builder(vertx, pool, audit);
  }

  /** The event bus address where the run's transitions are published (JSON lines of audit entries). */
  public static String eventAddress(String runId) {
    return "rebound.run." + runId;
  }

  public String ownerId() {
    return core.settings.ownerId();
  }

  /** Resumes what was interrupted and starts the poller (if its interval is not zero). */
  public Future<Void> start() {
    dispatcher.start();
    return Future.succeededFuture();
  }

  /** Stops the poller and waits for the work this instance is doing to end. */
  public Future<Void> stop() {
    return dispatcher.stop().eventually(() -> core.workers.close());
  }

  /**
   * Stops the poller and starting work at once (an approval is still recorded, not executed
   * here), then waits at most {@code grace} for the work this instance is doing to record how it
   * ended. Completes with whether it all ended. Work still running then is left as a crash leaves
   * it: its worker threads are not closed here (an interrupted action would fail and be recorded
   * as failed while the pool is open), and once the process is gone its lease expires and
   * recovery (another instance, or this one restarted) takes it over.
   */
  public Future<Boolean> stop(Duration grace) {
    return dispatcher.stop(grace).compose(allEnded -> allEnded
        ? core.workers.close().map(true)
        : Future.succeededFuture(false));
  }

  /** A step this instance executes (or recovers), or a run whose own work (checks, rollback) it does. */
  public record Executing(String runId, Optional<String> stepId) {
    @Override
    public String toString() {
      return "run " + runId + stepId.map(s -> " step " + s).orElse(" (its checks or rollback)");
    }
  }

  /** What this instance is executing now (empty once a stop has seen it all end). */
  public List<Executing> executing() {
    return dispatcher.executing();
  }

  /** Looks for work once (tests, and instances without a poller). */
  public Future<Void> pollOnce() {
    return dispatcher.pollOnce();
  }

  /** How many steps or run works this instance is executing now. */
  public int inFlight() {
    return dispatcher.inFlight();
  }

  /**
   * Starts a run; completes with its view once stored (and its preconditions checked). A drill run
   * ({@link RunKind#DRILL}) is started only by {@link Actor#drill()}.
   */
  public Future<ObjectNode> create(Actor actor, NewRun request) {
    return guard(() -> creation.create(actor, request)).compose(this::view);
  }

  /**
   * Why {@link #create} would refuse {@code actor} whatever run they asked for (their role), if
   * it would: for callers that ask the person for more before starting one (Slack's parameter
   * form), so they refuse first rather than after the asking.
   */
  public static Optional<ForbiddenException> startRefusal(Actor actor) {
    return RunCreation.roleRefusal(actor);
  }

  public Future<ObjectNode> view(String runId) {
    if (!RunIds.plausible(runId)) {
      return Future.failedFuture(NotFoundException.of("run", runId));
    }
    return core.store.run(runId).compose(run -> {
      if (run.isEmpty()) {
        return Future.failedFuture(NotFoundException.of("run", runId));
      }
      var steps = core.store.steps(runId);
      var approvals = core.store.approvals(runId);
      var checks = core.store.checks(runId);
      var seq = core.store.lastSeq(runId);
      var proposer = queries.proposer(runId);
      return Future.all(steps, approvals, checks, seq, proposer).map(all -> {
        ObjectNode view = RunViews.of(core, run.get(), steps.result(), approvals.result(), checks.result(),
            seq.result());
        view.put("proposed_by", proposer.result().map(RunQueries.Proposer::id).orElse(null));
        RunRequests.allowed(run.get(), steps.result()).forEach(view.putArray("allowed_next_steps")::add);
        return view;
      });
    });
  }

  /**
   * The agent ({@code proposer}) proposes a run for {@code requester}, the person it talks to.
   * The run is theirs as if they had started it (their role is checked, they are its requester,
   * so they cannot approve its high-risk steps); the agent is recorded as its proposer. Refused
   * (403) for any proposer but the agent and any requester but a person's identity.
   */
  public Future<ObjectNode> propose(Actor proposer, Actor requester, NewRun request) {
    return guard(() -> requests.propose(proposer, requester, request)).compose(this::view);
  }

  /**
   * Asks for a person's approval of {@code stepId}, which must be one of the run's {@link
   * #allowedNextSteps}: audited as {@code approval.requested} with what the approval will bind,
   * or refused (409, audited as {@code step.request_refused}). Changes no state and executes
   * nothing: the step waits for people to approve it. Completes with the run's view.
   */
  public Future<ObjectNode> requestStep(Actor proposer, Actor requester, String runId, String stepId) {
    return guard(() -> requests.requestStep(proposer, requester, runId, stepId)).compose(v -> view(runId));
  }

  /**
   * The steps whose approval may be requested now: those awaiting approval while the run is
   * proposed or running and the engine does no work of its own on it. Empty for a finished run.
   */
  public Future<List<String>> allowedNextSteps(String runId) {
    if (!RunIds.plausible(runId)) {
      return Future.failedFuture(NotFoundException.of("run", runId));
    }
    return core.store.run(runId).compose(run -> run.isEmpty()
        ? Future.failedFuture(NotFoundException.of("run", runId))
        : core.store.steps(runId).map(steps -> RunRequests.allowed(run.get(), steps)));
  }

  /**
   * Summaries of the incident's runs, oldest first (id, runbook and version, kind, state,
   * requested and proposed by, what it waits for, times); empty when it has none.
   */
  public Future<List<ObjectNode>> runsOfIncident(String incidentId) {
    return queries.ofIncident(incidentId);
  }

  /**
   * Records {@code actor}'s approval of the step's current attempt, binding the action hash they
   * were shown. Completes with the approval's binding; when it completes the step's approvals and
   * the settings say to dispatch on approval, the step was claimed in the same transaction (after
   * the claim's re-checks) and now runs here.
   */
  public Future<ObjectNode> approve(Actor actor, String runId, String stepId, String shownActionHash) {
    return approve(actor, runId, stepId, shownActionHash, OptionalInt.empty());
  }

  /**
   * As {@link #approve(Actor, String, String, String)}, also binding the attempt the person was
   * shown: refused ({@code attempt_changed}) when the step awaits another attempt, as it does
   * after a failure and a retry, which render the same action again.
   */
  public Future<ObjectNode> approve(Actor actor, String runId, String stepId, String shownActionHash,
      OptionalInt shownAttempt) {
    Instant began = Instant.now();
    boolean claimNow = core.settings.dispatchOnApproval() && dispatcher.accepting();
    return guard(() -> desk.approve(actor, runId, stepId, shownActionHash, shownAttempt, claimNow))
        .compose(outcome -> outcome.claimed().map(claimed -> {
          claimed.ifPresent(c -> dispatcher.claimedStep(c, began));
          ObjectNode binding = outcome.binding();
          binding.remove("waited_ms");
          return binding;
        }));
  }

  /**
   * Refuses ({@link dev.rebound.error.ForbiddenException}, audited as {@code approval.refused})
   * an actor who may approve or reject no step at all, e.g. a viewer, whatever the request holds.
   * {@link #approve} and {@link #reject} check it first too; a caller that validates input of its
   * own before them (the HTTP routes read the body) calls this first, so that such an actor learns
   * nothing about what valid input would be. {@code verb}: approve or reject.
   */
  public Future<Void> mayDecideSteps(Actor actor, String runId, String stepId, String verb) {
    return guard(() -> desk.checkMayDecide(actor, runId, stepId, verb));
  }

  public Future<ObjectNode> reject(Actor actor, String runId, String stepId, String reason) {
    return guard(() -> desk.reject(actor, runId, stepId, reason)).compose(v -> view(runId));
  }

  /** The failed step awaits a fresh approval. */
  public Future<ObjectNode> retry(Actor actor, String runId, String stepId) {
    return guard(() -> decisions.retry(actor, runId, stepId)).compose(v -> view(runId));
  }

  /** Starts the rollback; completes once it is recorded (the undos run in the background). */
  public Future<ObjectNode> rollback(Actor actor, String runId, String reason) {
    return guard(() -> decisions.rollback(actor, runId, reason))
        .onSuccess(v -> dispatcher.runWork(runId))
        .compose(v -> view(runId));
  }

  public Future<ObjectNode> abort(Actor actor, String runId, String reason) {
    return guard(() -> decisions.abort(actor, runId, reason)).compose(v -> view(runId));
  }

  /** Checks failed preconditions again; completes after they ran. */
  public Future<ObjectNode> recheck(Actor actor, String runId) {
    return guard(() -> decisions.recheck(actor, runId)).compose(v -> dispatcher.runWork(runId))
        .compose(v -> view(runId));
  }

  private static <T> Future<T> guard(Supplier<Future<T>> call) {
    try {
      return call.get();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  /** Wiring for an engine; everything but vertx, pool and audit log must be given or has a default. */
  public static final class Builder {
    private final Vertx vertx;
    private final Pool pool;
    private final AuditLog audit;
    private RunbookSource runbooks;
    private RunbookGate gate;
    private ApprovalPolicy policy = ApprovalPolicy.DEFAULT;
    private Supplier<TeamDirectory> team;
    private Map<String, String> env = Map.of();
    private Set<String> secretEnv = Set.of();
    private Masker masker = Masker.none();
    private ActionExecutor actions;
    private CheckRunner checks;
    private EngineSettings settings = EngineSettings.defaults();
    private MeterRegistry registry;
    private SettleSettings settle = SettleSettings.defaults();

    private Builder(Vertx vertx, Pool pool, AuditLog audit) {
      this.vertx = Objects.requireNonNull(vertx, "vertx");
      this.pool = Objects.requireNonNull(pool, "pool");
      this.audit = Objects.requireNonNull(audit, "audit");
    }

    public Builder runbooks(RunbookSource source) {
      this.runbooks = source;
      return this;
    }

    public Builder gate(RunbookGate gate) {
      this.gate = gate;
      return this;
    }

    public Builder policy(ApprovalPolicy policy) {
      this.policy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    public Builder team(Supplier<TeamDirectory> team) {
      this.team = team;
      return this;
    }

    /** Values of the template variables runbooks may use, and which of them are secret. */
    public Builder templateEnv(Map<String, String> values, Set<String> secretNames) {
      this.env = Map.copyOf(values);
      this.secretEnv = Set.copyOf(secretNames);
      return this;
    }

    /** Masks configured secret values in everything stored and shown. */
    public Builder masker(Masker masker) {
      this.masker = Objects.requireNonNull(masker, "masker");
      return this;
    }

    public Builder actions(ActionExecutor actions) {
      this.actions = actions;
      return this;
    }

    public Builder checks(CheckRunner checks) {
      this.checks = checks;
      return this;
    }

    public Builder settings(EngineSettings settings) {
      this.settings = Objects.requireNonNull(settings, "settings");
      return this;
    }

    /** How long failing checks after a change (verify, validation, invariants) are re-checked before they count. */
    public Builder settle(SettleSettings settle) {
      this.settle = Objects.requireNonNull(settle, "settle");
      return this;
    }

    public Builder meterRegistry(MeterRegistry registry) {
      this.registry = registry;
      return this;
    }

    public Engine build() {
      Objects.requireNonNull(runbooks, "runbooks");
      Objects.requireNonNull(gate, "gate");
      Objects.requireNonNull(team, "team");
      Objects.requireNonNull(actions, "actions");
      Objects.requireNonNull(checks, "checks");
      PgRunStore store = new PgRunStore(pool, audit, entry -> publish(vertx, entry));
      Core core = new Core(vertx, store, runbooks, gate, policy, team, new StepRenderer(env, secretEnv, masker),
          actions, checks, settings, new EngineMetrics(registry), settle);
      return new Engine(core, new RunQueries(pool));
    }

    private static void publish(Vertx vertx, AuditEntry entry) {
      entry.runId().ifPresent(id -> vertx.eventBus().publish(eventAddress(id), entry.toJsonLine()));
    }
  }
}
