package dev.rebound.drill;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rebound.engine.check.CheckContext;
import dev.rebound.engine.check.CheckResult;
import dev.rebound.engine.check.CheckRunner;
import dev.rebound.engine.check.Settling;
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
import java.util.function.IntPredicate;

/**
 * A runbook's own checks (validation, then invariants) rendered with the drill's parameters and
 * step outputs, and run with the standard check runners, exactly as the engine renders them.
 * Checks that need outputs of steps that have not run yet are left out. Each result keeps the
 * position of its check in validation + invariants, so a caller can re-run just some. Blocking.
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

  /** The validation checks alone. */
  List<CheckResult> validation(Map<String, JsonNode> outputs) {
    int n = runbook.validation().size();
    return run(outputs, i -> i < n).stream().map(Settling.Indexed::result).toList();
  }

  /** Validation and invariants, those whose position {@code selected} accepts (validation first). */
  List<Settling.Indexed> run(Map<String, JsonNode> outputs, IntPredicate selected) {
    TemplateRenderer renderer = new TemplateRenderer(new TemplateContext(params, env, secretEnv, outputs));
    List<Check> all = new ArrayList<>(runbook.validation());
    all.addAll(runbook.invariants());
    int validations = runbook.validation().size();
    List<Settling.Indexed> results = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      if (!selected.test(i)) {
        continue;
      }
      String pointer = i < validations ? "/validation/" + i : "/invariants/" + (i - validations);
      Check rendered;
      try {
        rendered = Check.of(renderer.render(all.get(i).raw(), TemplateRenderer.Mode.EXECUTE, pointer));
      } catch (UnresolvedTemplateException e) {
        continue;
      }
      results.add(new Settling.Indexed(i, runner.run(rendered, CheckContext.of(TIMEOUT))));
    }
    return results;
  }
}
