package dev.rebound.runbook;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every template resolves, and fixed-text fields stay fixed. SQL text, the command path, env
 * pass-through names and datasource/asset names take no templates: SQL values go in as bind
 * parameters, and lint must be able to check the names (that is what makes {@code sql} and
 * {@code command} actions safe to approve).
 */
final class TemplateRules implements LintRule {
  private static final Set<String> MANUAL_FIELDS = Set.of("confirmed_by", "note");

  @Override
  public void check(Runbook runbook, LintContext context, Findings out) {
    Map<String, Step> steps =
        runbook.steps().stream().collect(Collectors.toMap(Step::id, Function.identity(), (a, b) -> a));
    Set<String> params = runbook.params().stream().map(ParamSpec::name).collect(Collectors.toSet());
    Scope scope = new Scope(runbook, steps, params, context, out);
    RunbookParts.actions(runbook, (pointer, action, step, isRollback) -> {
      // An action runs before its step has output; its rollback runs after.
      int lastStep = isRollback ? step.index() : step.index() - 1;
      scope.tree(pointer, action.raw(), lastStep, isRollback ? null : step, null, fixedFields(action));
    });
    RunbookParts.checks(runbook, (pointer, check, section, step) -> {
      switch (section) {
        case PRECONDITION:
          scope.tree(pointer, check.raw(), -1, null, "preconditions run before any step, so no step has output yet", fixedFields(check));
          break;
        case INVARIANT:
          scope.tree(pointer, check.raw(), -1, null, "invariants run after every step, so a step's output may not exist yet", fixedFields(check));
          break;
        case VERIFY:
          scope.tree(pointer, check.raw(), step.index(), null, null, fixedFields(check));
          break;
        default:
          scope.tree(pointer, check.raw(), Integer.MAX_VALUE, null, null, fixedFields(check));
      }
    });
  }

  private static List<String> fixedFields(Action action) {
    switch (action.type()) {
      case "sql":
        return List.of("/sql", "/datasource");
      case "command":
        return List.of("/command", "/env/");
      default:
        return List.of();
    }
  }

  private static List<String> fixedFields(Check check) {
    switch (check.kind()) {
      case "sql":
      case "freshness":
        return List.of("/sql", "/datasource");
      case "drift":
        return List.of("/reference_sql", "/current_sql", "/datasource");
      case "sha256":
        return List.of("/asset");
      default:
        return List.of();
    }
  }

  /** What a place may reference, and where to report. */
  private record Scope(Runbook runbook, Map<String, Step> steps, Set<String> params, LintContext context, Findings out) {

    /**
     * @param lastStep index of the last step whose output may be used (-1: none)
     * @param ownStep the step whose action this is, to explain a self-reference; else null
     * @param noOutputsReason why this place can use no step output at all, or null
     */
    void tree(String base, JsonNode tree, int lastStep, Step ownStep, String noOutputsReason, List<String> fixed) {
      // Only values are rendered: a header name or body key '{{params.x}}' would be sent as written.
      JsonStrings.forEachKey(tree, base, (pointer, key) -> {
        if (Templates.hasTemplates(key)) {
          out.errorAtKey(pointer, Json.displayPath(pointer) + ": templates are not rendered in keys, so '" + key
              + "' would be used as written; template the value instead");
        }
      });
      JsonStrings.forEach(tree, base, (pointer, value) -> {
        String relative = pointer.substring(base.length());
        if (Templates.hasTemplates(value) && fixed.stream().anyMatch(f -> f.endsWith("/") ? relative.startsWith(f) : relative.equals(f))) {
          out.error(pointer, Json.displayPath(pointer) + ": " + fixedMessage(relative));
          return;
        }
        for (String invalid : Templates.invalid(value)) {
          out.error(pointer, Json.displayPath(pointer) + ": unsupported template '" + invalid
              + "' (only {{params.NAME}}, {{env.NAME}} and {{steps.STEP.output.FIELD}}; no expressions)");
        }
        for (TemplateRef ref : Templates.references(value)) {
          String problem = problem(ref, lastStep, ownStep, noOutputsReason);
          if (problem != null) {
            out.error(pointer, Json.displayPath(pointer) + ": " + problem);
          }
        }
      });
    }

    private String problem(TemplateRef ref, int lastStep, Step ownStep, String noOutputsReason) {
      switch (ref.kind()) {
        case PARAM:
          return params.contains(ref.name())
              ? null
              : "unknown param '" + ref.name() + "' in " + ref.text()
                  + (params.isEmpty() ? " (this runbook declares no params)" : " (declared: " + ReferenceRules.list(params) + ")");
        case ENV:
          return context.allowedEnv().contains(ref.name())
              ? null
              : "env variable '" + ref.name() + "' in " + ref.text() + " is not allowed (allowed: "
                  + ReferenceRules.list(context.allowedEnv()) + ")";
        default:
          return stepOutput(ref, lastStep, ownStep, noOutputsReason);
      }
    }

    private String stepOutput(TemplateRef ref, int lastStep, Step ownStep, String noOutputsReason) {
      Step target = steps.get(ref.name());
      if (target == null) {
        return ref.text() + " names no step '" + ref.name() + "'";
      }
      if (noOutputsReason != null) {
        return ref.text() + ": " + noOutputsReason;
      }
      if (ownStep != null && target.index() == ownStep.index()) {
        return ref.text() + " is this step's own output, which exists only after its action (use it in verify or rollback)";
      }
      if (target.index() > lastStep) {
        return ref.text() + " refers to step '" + target.id() + "', which runs later (only earlier steps have output)";
      }
      if (target.action() instanceof Action.Wait) {
        return ref.text() + ": step '" + target.id() + "' is a wait step and has no output";
      }
      if (target.action() instanceof Action.Manual && !MANUAL_FIELDS.contains(ref.field())) {
        return ref.text() + ": step '" + target.id() + "' is a manual step; its output fields are confirmed_by and note";
      }
      return null;
    }

    private static String fixedMessage(String relative) {
      if (relative.endsWith("sql")) {
        return "templates are not allowed in SQL text; pass values as args ($1, $2, …)";
      }
      if (relative.equals("/command")) {
        return "the command path must be literal (no templates)";
      }
      return "must be literal (no templates)";
    }
  }
}
