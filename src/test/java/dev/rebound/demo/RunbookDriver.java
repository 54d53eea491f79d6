package dev.rebound.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.rebound.config.ReboundConfig;
import dev.rebound.engine.action.ActionContext;
import dev.rebound.engine.action.ActionExecutors;
import dev.rebound.engine.action.ActionFailedException;
import dev.rebound.engine.action.ActionOutcome;
import dev.rebound.engine.check.CheckContext;
import dev.rebound.engine.check.CheckResult;
import dev.rebound.engine.check.CheckRunners;
import dev.rebound.runbook.Action;
import dev.rebound.runbook.BoundParams;
import dev.rebound.runbook.Check;
import dev.rebound.runbook.ParamBinder;
import dev.rebound.runbook.Runbook;
import dev.rebound.runbook.Step;
import dev.rebound.runbook.TemplateContext;
import dev.rebound.runbook.TemplateRenderer;
import dev.rebound.runbook.UnresolvedTemplateException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Drives one run of a bundled runbook the way the engine will, minus approvals and persistence:
 * binds the params, renders every action and check with {@link TemplateRenderer} (params, the
 * config's template env, outputs of earlier steps), executes actions with the standard
 * {@link ActionExecutors}, runs checks with the standard {@link CheckRunners}. A step is retried
 * (action and verify) as its {@code retries} allow, with the backoff capped so tests stay fast;
 * invariants are checked after every step and after a rollback. Keys as the engine sends them: one
 * idempotency key per step, the same across its retries and for its undo.
 */
final class RunbookDriver {
  static final Duration MAX_BACKOFF = Duration.ofMillis(500);
  static final String CONFIRMER = "dmitri";

  private final Runbook runbook;
  private final ActionExecutors executors;
  private final CheckRunners checks;
  private final String runId = "test-" + UUID.randomUUID();
  private final List<Step> completed = new ArrayList<>();
  private final List<String> log = new ArrayList<>();
  private TemplateContext context;

  RunbookDriver(Runbook runbook, Map<String, String> params, ReboundConfig config, ActionExecutors executors,
      CheckRunners checks) {
    this.runbook = runbook;
    this.executors = executors;
    this.checks = checks;
    BoundParams bound = ParamBinder.bindStrings(runbook, params);
    assertThat(bound.errors()).as("params of " + runbook.id()).isEmpty();
    this.context = TemplateContext.of(bound.values(), config.templateEnv().values(), config.templateEnv().secretNames());
  }

  List<String> log() {
    return log;
  }

  List<CheckResult> preconditions() {
    return run(runbook.preconditions(), "/preconditions");
  }

  List<CheckResult> invariants() {
    return run(runbook.invariants(), "/invariants");
  }

  /** Validation checks that can be rendered now; those needing outputs of steps not run yet are left out. */
  List<CheckResult> validation() {
    return run(runbook.validation(), "/validation", name -> true);
  }

  /** The validation checks with these names (when they can be rendered now). */
  List<CheckResult> validation(List<String> names) {
    return run(runbook.validation(), "/validation", names::contains);
  }

  private List<CheckResult> run(List<Check> list, String pointer) {
    return run(list, pointer, name -> true);
  }

  private List<CheckResult> run(List<Check> list, String pointer, java.util.function.Predicate<String> selected) {
    List<CheckResult> out = new ArrayList<>();
    TemplateRenderer renderer = new TemplateRenderer(context);
    for (int i = 0; i < list.size(); i++) {
      if (!selected.test(list.get(i).name().orElse(""))) {
        continue;
      }
      Check rendered;
      try {
        rendered = Check.of(renderer.render(list.get(i).raw(), TemplateRenderer.Mode.EXECUTE, pointer + "/" + i));
      } catch (UnresolvedTemplateException e) {
        continue;
      }
      out.add(checks.run(rendered, CheckContext.withDefaultTimeout()));
    }
    return out;
  }

  /** Runs every step in order; fails the test at the first step that does not succeed. */
  void runAll() {
    for (Step step : runbook.steps()) {
      runStep(step);
    }
  }

  void runStep(Step step) {
    int attempts = 1 + Math.max(0, step.retries().max());
    String failure = null;
    for (int attempt = 1; attempt <= attempts; attempt++) {
      failure = attempt(step, attempt);
      if (failure == null) {
        completed.add(step);
        log.add("step " + step.id() + " succeeded (attempt " + attempt + ")");
        List<CheckResult> invariants = invariants();
        assertThat(invariants).as("invariants after step " + step.id()).allMatch(CheckResult::passed);
        return;
      }
      log.add("step " + step.id() + " attempt " + attempt + ": " + failure);
      sleep(min(step.retries().backoff(), MAX_BACKOFF));
    }
    fail(runbook.id() + ": step " + step.id() + " did not succeed: " + failure + "\n" + String.join("\n", log));
  }

  /** One attempt of a step: action, then its verify checks. Null when it succeeded, else why not. */
  private String attempt(Step step, int attempt) {
    TemplateRenderer renderer = new TemplateRenderer(context);
    Action action = Action.of(renderer.render(step.action().raw(), TemplateRenderer.Mode.EXECUTE, step.pointer() + "/action"));
    ActionContext ctx = ActionContext.of(runId, step.id(), attempt, runId + ":" + step.id(), step.timeout());
    if (action.type().equals("manual")) {
      ctx = ctx.confirmedBy(CONFIRMER, "test: done as instructed");
    }
    ActionOutcome outcome;
    try {
      outcome = executors.execute(action, ctx);
    } catch (ActionFailedException e) {
      return "action failed: " + e.getMessage();
    }
    log.add("step " + step.id() + ": " + outcome.summary());
    context = context.withStepOutput(step.id(), outcome.output());
    renderer = new TemplateRenderer(context);
    for (int i = 0; i < step.verify().size(); i++) {
      Check check = Check.of(renderer.render(step.verify().get(i).raw(), TemplateRenderer.Mode.EXECUTE,
          step.pointer() + "/verify/" + i));
      CheckResult result = checks.run(check, CheckContext.of(step.timeout()));
      if (!result.passed()) {
        return "verify '" + result.name() + "' failed: observed " + result.observed() + ", " + result.message();
      }
    }
    return null;
  }

  /** The rollback actions of completed steps, newest first, then the invariants. */
  List<CheckResult> rollback() {
    for (int i = completed.size() - 1; i >= 0; i--) {
      Step step = completed.get(i);
      Optional<Action> undo = step.rollback();
      if (undo.isEmpty()) {
        continue;
      }
      Action rendered = Action.of(new TemplateRenderer(context).render(undo.get().raw(), TemplateRenderer.Mode.EXECUTE,
          step.pointer() + "/rollback"));
      try {
        ActionOutcome outcome = executors.execute(rendered,
            ActionContext.of(runId, step.id(), 1, runId + ":" + step.id(), step.timeout()));
        log.add("rollback " + step.id() + ": " + outcome.summary());
      } catch (ActionFailedException e) {
        fail(runbook.id() + ": rollback of " + step.id() + " failed: " + e.getMessage() + "\n" + String.join("\n", log));
      }
    }
    completed.clear();
    return invariants();
  }

  JsonNode output(String stepId) {
    JsonNode out = context.stepOutputs().get(stepId);
    return out == null ? JsonNodeFactory.instance.missingNode() : out;
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) < 0 ? a : b;
  }

  static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
