package dev.rebound.runbook;

import java.nio.file.Path;
import java.util.Set;

/**
 * What lint checks references against, as plain sets so this package depends on no inventory
 * or config code: asset ids ({@code knowledge/assets.yaml}), runbook ids (the catalog), person
 * ids ({@code knowledge/team.yaml}), env variables runbooks may use ({@code template_env}),
 * configured datasources, the environment names an {@code active} map may use (configuration's
 * {@code environments}), and the scripts directory ({@code runbooks/scripts}); a null
 * {@code scriptsDir} skips the command-file checks.
 */
public record LintContext(
    Set<String> assetIds,
    Set<String> runbookIds,
    Set<String> personIds,
    Set<String> allowedEnv,
    Set<String> datasources,
    Set<String> environments,
    Path scriptsDir) {

  public LintContext {
    assetIds = Set.copyOf(assetIds);
    runbookIds = Set.copyOf(runbookIds);
    personIds = Set.copyOf(personIds);
    allowedEnv = Set.copyOf(allowedEnv);
    datasources = Set.copyOf(datasources);
    environments = Set.copyOf(environments);
  }
}
