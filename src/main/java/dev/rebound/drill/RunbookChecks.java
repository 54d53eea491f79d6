package dev.rebound.drill;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rebound.engine.check.CheckContext;
import dev.rebound.engine.check.CheckResult;
import dev.rebound.engine.check.CheckRunner;
import dev.rebound.runbook.Check;
import dev.rebound.runbook.Runbook;
import dev.rebound.runbook.TemplateContext;
import dev.rebound.runbook.TemplateRenderer;
import dev.rebound.runbook.UnresolvedTemplateException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A runbook's own checks (validation, invariants) rendered with the drill's parameters and
 * step outputs, and run with the standard check runners, exactly as the engine renders them.
 * Checks that need outputs of steps that have not run yet are left out. Blocking.
 */
final class RunbookChecks {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final Runbook runbook;
  private final CheckRunner runner;
  private final Map<String, JsonNode> params;
  private final Map<String, String> env;
  private final Set<String> secretEnv;

  RunbookChecks(Runbook runbook, CheckRunner runner, Map<String, JsonNode> params, Map<String, String> env,
      Set<String> secretEnv) {
    this.runbook = runbook;
    this.runner = runner;
    this.params = params;
    this.env = env;
    this.secretEnv = secretEnv;
  }

  List<CheckResult> validation(Map<String, JsonNode> outputs) {
    return run(runbook.validation(), "/validation", outputs);
  }

  List<CheckResult> invariants(Map<String, JsonNode> outputs) {
    return run(runbook.invariants(), "/invariants", outputs);
  }

  private List<CheckResult> run(List<Check> checks, String pointer, Map<String, JsonNode> outputs) {
    TemplateRenderer renderer = new TemplateRenderer(new TemplateContext(params, env, secretEnv, outputs));
    List<CheckResult> results = new ArrayList<>();
    for (int i = 0; i < checks.size(); i++) {
      Check rendered;
      try {
        rendered = Check.of(renderer.render(checks.get(i).raw(), TemplateRenderer.Mode.EXECUTE, pointer + "/" + i));
      } catch (UnresolvedTemplateException e) {
        continue;
      }
      results.add(runner.run(rendered, CheckContext.of(TIMEOUT)));
    }
    return results;
  }
}
