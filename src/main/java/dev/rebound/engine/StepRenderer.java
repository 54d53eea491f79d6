package dev.rebound.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rebound.audit.Masker;
import dev.rebound.runbook.Action;
import dev.rebound.runbook.CanonicalJson;
import dev.rebound.runbook.Check;
import dev.rebound.runbook.Step;
import dev.rebound.runbook.TemplateContext;
import dev.rebound.runbook.TemplateRenderer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Renders a run's actions and checks: real values for executors and hashing, masked ones for
 * people and storage. The hash an approval binds is the sha256 of the canonical JSON of the
 * action rendered with <em>real</em> values, so a changed parameter, env value (secret ones
 * included) or earlier output changes it; the real rendering itself is never stored or shown.
 */
final class StepRenderer {
  private final Map<String, String> env;
  private final Set<String> secretEnv;
  private final Masker masker;

  StepRenderer(Map<String, String> env, Set<String> secretEnv, Masker masker) {
    this.env = Map.copyOf(env);
    this.secretEnv = Set.copyOf(secretEnv);
    this.masker = Objects.requireNonNull(masker, "masker");
  }

  /** An action rendered both ways. {@code real} goes to an executor and nowhere else. */
  record Rendered(Action real, JsonNode display, String hash) {}

  /** @param outputs outputs of the steps that ran, by step id (already masked by the executors) */
  TemplateRenderer renderer(Map<String, JsonNode> params, Map<String, JsonNode> outputs) {
    return new TemplateRenderer(new TemplateContext(params, env, secretEnv, outputs));
  }

  /** @throws dev.rebound.runbook.UnresolvedTemplateException when a reference cannot be resolved */
  Rendered action(Step step, Map<String, JsonNode> params, Map<String, JsonNode> outputs) {
    return render(step.action(), step.pointer() + "/action", renderer(params, outputs));
  }

  /** The step's undo; its own output is visible to it (empty before the step ran). */
  Rendered undo(Step step, Action rollback, Map<String, JsonNode> params, Map<String, JsonNode> outputs) {
    return render(rollback, step.pointer() + "/rollback", renderer(params, outputs));
  }

  private Rendered render(Action action, String pointer, TemplateRenderer renderer) {
    JsonNode real = renderer.render(action.raw(), TemplateRenderer.Mode.EXECUTE, pointer);
    JsonNode display = masker.mask(renderer.render(action.raw(), TemplateRenderer.Mode.DISPLAY, pointer));
    return new Rendered(Action.of(real), display, CanonicalJson.sha256(real));
  }

  /** Checks with real values, for the check runners (which mask their results). */
  List<Check> checks(List<Check> checks, String pointer, TemplateRenderer renderer) {
    List<Check> out = new ArrayList<>();
    for (int i = 0; i < checks.size(); i++) {
      out.add(Check.of(renderer.render(checks.get(i).raw(), TemplateRenderer.Mode.EXECUTE, pointer + "/" + i)));
    }
    return out;
  }

  Masker masker() {
    return masker;
  }
}
