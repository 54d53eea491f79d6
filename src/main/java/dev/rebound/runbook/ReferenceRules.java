package dev.rebound.runbook;

import dev.rebound.yaml.PositionedYaml;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Names that must exist elsewhere: author (team), assets and targets (inventory), related
 * runbooks (catalog), datasources (of actions, checks and parameters' choices), pass-through env
 * variables and the environments of {@code active} (configuration).
 */
final class ReferenceRules implements LintRule {
  @Override
  public void check(Runbook runbook, LintContext context, Findings out) {
    if (!context.personIds().contains(runbook.author())) {
      out.error("/author", "unknown author '" + runbook.author() + "' (not in knowledge/team.yaml)");
    }
    assets(runbook.assets(), "/assets", context, out);
    for (Step step : runbook.steps()) {
      if (runbook.source().root().at(step.pointer()).has("targets")) {
        assets(step.targets(), step.pointer() + "/targets", context, out);
      }
    }
    List<String> related = runbook.relatedRunbooks();
    for (int i = 0; i < related.size(); i++) {
      if (!context.runbookIds().contains(related.get(i))) {
        out.error("/related_runbooks/" + i, "unknown runbook '" + related.get(i) + "'");
      }
    }
    environments(runbook.activation(), context, out);
    choices(runbook, context, out);
    RunbookParts.actions(runbook, (pointer, action, step, isRollback) -> action(pointer, action, context, out));
    RunbookParts.checks(runbook, (pointer, check, section, step) -> check(pointer, check, context, out));
  }

  private static void assets(List<String> ids, String pointer, LintContext context, Findings out) {
    for (int i = 0; i < ids.size(); i++) {
      if (!context.assetIds().contains(ids.get(i))) {
        out.error(pointer + "/" + i, "unknown asset '" + ids.get(i) + "' (not in knowledge/assets.yaml)");
      }
    }
  }

  /** The datasource a parameter's candidates are read from. */
  private static void choices(Runbook runbook, LintContext context, Findings out) {
    for (ParamSpec param : runbook.params()) {
      param.choices().ifPresent(c ->
          datasource(c.datasource(), "/params/" + PositionedYaml.escape(param.name()) + "/choices", context, out));
    }
  }

  /**
   * A name in an {@code active} map that no environment has: the runbook is inactive wherever
   * it was meant to be active (an unnamed environment is inactive), and nothing else says so.
   */
  private static void environments(Activation activation, LintContext context, Findings out) {
    for (String name : activation.byEnvironment().keySet()) {
      if (!context.environments().contains(name)) {
        out.errorAtKey("/active/" + PositionedYaml.escape(name), "unknown environment '" + name
            + "' (environments: " + list(context.environments()) + "; others are added to environments in rebound.yaml)");
      }
    }
  }

  private static void action(String pointer, Action action, LintContext context, Findings out) {
    if (action instanceof Action.Sql sql) {
      datasource(sql.datasource(), pointer, context, out);
    } else if (action instanceof Action.Command command) {
      List<String> env = command.env();
      for (int i = 0; i < env.size(); i++) {
        if (!context.allowedEnv().contains(env.get(i))) {
          out.error(
              pointer + "/env/" + i,
              "env variable '" + env.get(i) + "' is not allowed (allowed: " + list(context.allowedEnv()) + ")");
        }
      }
    }
  }

  private static void check(String pointer, Check check, LintContext context, Findings out) {
    if (check instanceof Check.Sql sql) {
      datasource(sql.datasource(), pointer, context, out);
    } else if (check instanceof Check.Freshness freshness) {
      datasource(freshness.datasource(), pointer, context, out);
    } else if (check instanceof Check.Drift drift) {
      datasource(drift.datasource(), pointer, context, out);
    } else if (check instanceof Check.Sha256 sha) {
      boolean byAsset = sha.asset().isPresent() && sha.path().isEmpty() && sha.url().isEmpty();
      boolean byLocation = sha.asset().isEmpty() && sha.expected().isPresent() && (sha.path().isPresent() ^ sha.url().isPresent());
      if (!byAsset && !byLocation) {
        out.error(pointer, Json.displayPath(pointer) + ": a sha256 check needs either 'asset', or 'path' or 'url' with 'expected'");
      }
      sha.asset().filter(a -> !context.assetIds().contains(a)).ifPresent(a ->
          out.error(pointer + "/asset", "unknown asset '" + a + "' (not in knowledge/assets.yaml)"));
    }
  }

  private static void datasource(String name, String pointer, LintContext context, Findings out) {
    if (!Templates.hasTemplates(name) && !context.datasources().contains(name)) {
      out.error(pointer + "/datasource", "unknown datasource '" + name + "' (configured: " + list(context.datasources()) + ")");
    }
  }

  static String list(Set<String> names) {
    return names.isEmpty() ? "none" : String.join(", ", new TreeSet<>(names));
  }
}
