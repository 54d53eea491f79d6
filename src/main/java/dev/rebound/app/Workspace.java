package dev.rebound.app;

import dev.rebound.config.ReboundConfig;
import dev.rebound.inventory.Knowledge;
import dev.rebound.inventory.LoadResult;
import dev.rebound.runbook.ApprovalPolicy;
import dev.rebound.runbook.LintContext;
import dev.rebound.runbook.PlanRenderer;
import dev.rebound.runbook.RunbookCatalog;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Where Rebound's content lives (runbooks and knowledge directories) plus the configuration that
 * gives it meaning (allowed template variables, datasources, approval policy). Loading reads
 * files: call from the CLI's main thread or a worker, never from an event loop.
 */
public record Workspace(ReboundConfig config, Path runbooksDir, Path knowledgeDir) {
  public static final String SCRIPTS_DIR = "scripts";

  public RunbookCatalog loadRunbooks() {
    return RunbookCatalog.load(runbooksDir);
  }

  public LoadResult<Knowledge> loadKnowledge(Set<String> knownRunbookIds) {
    return Knowledge.load(knowledgeDir, knownRunbookIds);
  }

  public Path scriptsDir() {
    return runbooksDir.resolve(SCRIPTS_DIR);
  }

  /** {@code drills/} beside the runbooks directory: the drill scenarios. */
  public Path drillsDir() {
    return runbooksDir.resolveSibling("drills");
  }

  public ApprovalPolicy approvalPolicy() {
    return config.approvalPolicy().isMissingNode()
        ? ApprovalPolicy.DEFAULT
        : ApprovalPolicy.fromJson(config.approvalPolicy());
  }

  public PlanRenderer planRenderer() {
    return new PlanRenderer(
        approvalPolicy(), config.templateEnv().values(), config.templateEnv().secretNames());
  }

  /** What lint checks references against; an unloadable knowledge dir yields empty sets. */
  public LintContext lintContext(RunbookCatalog catalog, LoadResult<Knowledge> knowledge) {
    Set<String> assets =
        knowledge.value().map(k -> k.assets().assets().stream().map(a -> a.id()).collect(Collectors.toSet()))
            .orElse(Set.of());
    Set<String> people =
        knowledge.value().map(k -> k.team().people().stream().map(p -> p.id()).collect(Collectors.toSet()))
            .orElse(Set.of());
    return new LintContext(
        assets,
        catalog.ids(),
        people,
        config.templateEnv().declared().keySet(),
        config.datasources().keySet(),
        config.environments(),
        scriptsDir());
  }
}
