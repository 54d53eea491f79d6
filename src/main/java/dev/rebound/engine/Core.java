package dev.rebound.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rebound.config.SettleSettings;
import dev.rebound.engine.action.ActionExecutor;
import dev.rebound.engine.check.CheckRunner;
import dev.rebound.inventory.TeamDirectory;
import dev.rebound.runbook.ApprovalPolicy;
import dev.rebound.runbook.Runbook;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/** What the engine's parts share: ports, settings, the worker pool for blocking work. */
final class Core {
  final Vertx vertx;
  final RunStore store;
  final RunbookSource runbooks;
  final RunbookGate gate;
  final ApprovalPolicy policy;
  final Supplier<TeamDirectory> team;
  final StepRenderer renderer;
  final ActionExecutor actions;
  final CheckRunner checks;
  final EngineSettings settings;
  final EngineMetrics metrics;
  /** How long the checks after a change may take to settle (see {@link SettledChecks}). */
  final SettleSettings settle;
  final WorkerExecutor workers;
  final Actor system;
  /** The runbook file reads that start with a request, before the run's row is in. */
  final RunbookReads runbookReads;
  /** Starts a run's owed work through the dispatcher (set once the dispatcher exists). */
  volatile java.util.function.Function<String, Future<Void>> runWork = id -> Future.succeededFuture();

  Core(Vertx vertx, RunStore store, RunbookSource runbooks, RunbookGate gate, ApprovalPolicy policy,
      Supplier<TeamDirectory> team, StepRenderer renderer, ActionExecutor actions, CheckRunner checks,
      EngineSettings settings, EngineMetrics metrics, SettleSettings settle) {
    this.vertx = vertx;
    this.store = store;
    this.runbooks = runbooks;
    this.gate = gate;
    this.policy = policy;
    this.team = team;
    this.renderer = renderer;
    this.actions = actions;
    this.checks = checks;
    this.settings = settings;
    this.metrics = metrics;
    this.settle = settle;
    // Actions block for up to their timeout: a pool of their own keeps them off the event loop
    // and from starving Vert.x's shared workers (file reads, Flyway, embeddings).
    this.workers = vertx.createSharedWorkerExecutor("rebound-engine-" + settings.ownerId(), settings.workers(),
        24, java.util.concurrent.TimeUnit.HOURS);
    this.system = Actor.system(settings.ownerId());
    this.runbookReads = new RunbookReads(this);
  }

  <T> Future<T> blocking(Callable<T> work) {
    return workers.executeBlocking(work, false);
  }

  Instant now() {
    return settings.clock().instant();
  }

  /** The outputs of the steps that succeeded (or whose action completed), by step id. */
  static Map<String, JsonNode> outputs(List<StepRecord> steps) {
    Map<String, JsonNode> out = new LinkedHashMap<>();
    for (StepRecord s : steps) {
      if (s.output().isPresent() && (s.state() == StepState.SUCCEEDED || s.actionDone())) {
        out.put(s.stepId(), s.output().get());
      }
    }
    return out;
  }

  /** The run's parameters as template values. */
  static Map<String, JsonNode> params(RunRecord run) {
    Map<String, JsonNode> out = new LinkedHashMap<>();
    run.params().properties().forEach(e -> out.put(e.getKey(), e.getValue()));
    return out;
  }

  /** The runbook as on disk now, if it is still the content the run was started from. */
  java.util.Optional<Runbook> sameRunbook(RunRecord run) {
    return runbooks.current(run.runbookId()).filter(r -> r.contentHash().equals(run.contentHash()));
  }
}
