package dev.rebound.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.app.Workspace;
import dev.rebound.runbook.BoundParams;
import dev.rebound.runbook.LintFinding;
import dev.rebound.runbook.ParamBinder;
import dev.rebound.runbook.Plan;
import dev.rebound.runbook.Runbook;
import dev.rebound.runbook.RunbookCatalog;
import dev.rebound.runbook.RunbookLinter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** {@code rebound plan RUNBOOK [--param k=v]… [--json]}: the dry run. */
@Command(
    name = "plan",
    description = {
      "Dry run: render a runbook with real parameters; executes nothing.",
      "%nShows every step with the approvals it needs, its checks and its rollback, and the"
          + " runbook's approval state. No HTTP request, SQL or command reaches any target."
          + " Refused (exit 1) when the runbook has lint errors or a parameter is invalid."
    })
final class PlanCommand extends CliCommand {
  @Parameters(index = "0", paramLabel = "RUNBOOK", description = "Runbook id (in --runbooks) or path to a runbook file.")
  String runbookRef;

  @Option(names = "--param", paramLabel = "NAME=VALUE", description = "A runbook parameter; repeat for several.")
  List<String> params = new ArrayList<>();

  @Option(names = "--json", description = "Print the plan as JSON, with its approval state under \"status\".")
  boolean json;

  @Option(names = "--no-status", description = "Do not read approval state from the database.")
  boolean noStatus;

  @Override
  int run(CliContext context) {
    Map<String, String> raw = parseParams();
    Workspace workspace = context.workspace();
    RunbookCatalog catalog = workspace.loadRunbooks();
    Runbook runbook = RunbookFiles.find(context, catalog, runbookRef);

    List<LintFinding> errors = lintErrors(context, catalog, runbook);
    if (!errors.isEmpty()) {
      errors.forEach(f -> context.err().println(context.names().inText(f.toString())));
      context.err().println("rebound: " + runbook.id() + " has " + Words.count(errors.size(), "lint error")
          + ": fix " + (errors.size() == 1 ? "it" : "them") + " before planning");
      return PROBLEMS;
    }
    BoundParams bound = ParamBinder.bindStrings(runbook, raw).orElseThrow();
    Plan plan = workspace.planRenderer().render(runbook, bound);

    ApprovalStates.Result states = noStatus
        ? ApprovalStates.unknown(context.config(), List.of(runbook), "not read (--no-status)")
        : ApprovalStates.read(context, List.of(runbook));
    RunbookState state = states.states().get(0);
    if (!noStatus) {
      states.unknownReason().ifPresent(r -> context.err().println("approval state unknown: " + r));
    }
    if (json) {
      ObjectNode out = plan.toJson();
      out.set("status", state.toJson());
      context.out().println(JsonOutput.pretty(out));
    } else {
      context.out().println(state.line());
      context.out().println();
      context.out().print(plan.toText());
    }
    return OK;
  }

  /** {@code k=v} pairs, split at the first {@code =}; a name given twice is a usage error. */
  private Map<String, String> parseParams() {
    Map<String, String> raw = new LinkedHashMap<>();
    for (String param : params) {
      int eq = param.indexOf('=');
      if (eq <= 0) {
        throw new ParameterException(spec.commandLine(), "--param expects NAME=VALUE, got '" + param + "'");
      }
      if (raw.put(param.substring(0, eq), param.substring(eq + 1)) != null) {
        throw new ParameterException(spec.commandLine(), "--param " + param.substring(0, eq) + " given twice");
      }
    }
    return raw;
  }

  private static List<LintFinding> lintErrors(CliContext context, RunbookCatalog catalog, Runbook runbook) {
    Set<String> ids = new HashSet<>(catalog.ids());
    ids.add(runbook.id());
    Path file = runbook.path().orElse(context.runbooksDir().resolve(runbook.id() + ".yaml"));
    KnowledgeFiles knowledge = KnowledgeFiles.load(context.knowledgeDir(), RunbookFiles.knownIds(catalog));
    return new RunbookLinter()
        .lint(runbook, knowledge.lintContext(context.config(), ids, RunbookFiles.scriptsDirFor(file, context.runbooksDir())))
        .stream()
        .filter(LintFinding::isError)
        .toList();
  }
}
