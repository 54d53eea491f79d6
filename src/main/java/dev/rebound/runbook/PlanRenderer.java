package dev.rebound.runbook;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Builds the dry-run {@link Plan} of a runbook: renders every action and check with the bound
 * parameters and env values (secrets masked, step outputs as {@code <output of step X: F>}
 * placeholders), attaches the approval each step needs, and executes nothing.
 */
public final class PlanRenderer {
  private final ApprovalPolicy policy;
  private final Map<String, String> env;
  private final Set<String> secretEnv;

  /**
   * @param env values of the env variables runbooks may use (only those under template_env)
   * @param secretEnv names among them whose values must never be shown
   */
  public PlanRenderer(ApprovalPolicy policy, Map<String, String> env, Set<String> secretEnv) {
    this.policy = policy;
    this.env = Map.copyOf(env);
    this.secretEnv = Set.copyOf(secretEnv);
  }

  /**
   * Binds {@code k=v} parameters and renders.
   *
   * @throws InvalidParametersException if the parameters do not bind
   * @throws UnresolvedTemplateException if a template cannot be resolved (e.g. an unset env variable)
   */
  public Plan render(Runbook runbook, Map<String, String> rawParams) {
    return render(runbook, ParamBinder.bindStrings(runbook, rawParams).orElseThrow());
  }

  /**
   * @throws InvalidParametersException if {@code params} is not valid
   * @throws UnresolvedTemplateException if a template cannot be resolved
   */
  public Plan render(Runbook runbook, BoundParams params) {
    params.orElseThrow();
    TemplateRenderer renderer = new TemplateRenderer(TemplateContext.of(params.values(), env, secretEnv));
    // Rendered in file order, so the first unresolvable template reported is the first in the file.
    List<PlanCheck> preconditions = checks(runbook.preconditions(), "/preconditions", renderer);
    List<PlanStep> steps = new ArrayList<>();
    for (Step step : runbook.steps()) {
      steps.add(step(step, renderer));
    }
    return new Plan(
        runbook.id(),
        runbook.version(),
        runbook.title(),
        runbook.contentHash(),
        params.values(),
        preconditions,
        steps,
        checks(runbook.invariants(), "/invariants", renderer),
        checks(runbook.validation(), "/validation", renderer),
        choices(runbook));
  }

  /** The parameters' candidate queries: they run once the version is approved, so the reviewer sees them here. */
  private static Map<String, ParamSpec.Choices> choices(Runbook runbook) {
    Map<String, ParamSpec.Choices> out = new LinkedHashMap<>();
    runbook.params().forEach(p -> p.choices().ifPresent(c -> out.put(p.name(), c)));
    return out;
  }

  private PlanStep step(Step step, TemplateRenderer renderer) {
    JsonNode action = renderer.render(step.action().raw(), TemplateRenderer.Mode.PLAN, step.pointer() + "/action");
    Optional<JsonNode> rollback = step.rollback()
        .map(r -> renderer.render(r.raw(), TemplateRenderer.Mode.PLAN, step.pointer() + "/rollback"));
    return new PlanStep(
        step.index() + 1,
        step.id(),
        step.title(),
        step.description(),
        step.risk(),
        step.isMutating(),
        action,
        Summaries.of(Action.of(action)),
        checks(step.verify(), step.pointer() + "/verify", renderer),
        rollback,
        rollback.map(r -> Summaries.of(Action.of(r))),
        step.isIrreversible(),
        step.idempotent(),
        step.timeout(),
        step.retries(),
        step.targets(),
        policy.requirementFor(step.risk()));
  }

  private static List<PlanCheck> checks(List<Check> checks, String pointer, TemplateRenderer renderer) {
    List<PlanCheck> out = new ArrayList<>();
    for (int i = 0; i < checks.size(); i++) {
      Check check = checks.get(i);
      JsonNode rendered = renderer.render(check.raw(), TemplateRenderer.Mode.PLAN, pointer + "/" + i);
      out.add(new PlanCheck(check.kind(), check.name(), rendered, Summaries.of(Check.of(rendered))));
    }
    return out;
  }
}
