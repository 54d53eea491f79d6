package dev.rebound.agent;

import dev.rebound.runbook.Runbook;
import dev.rebound.runbook.RunbookCatalog;
import dev.rebound.incident.IncidentService;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds the {@link ToolMenu} for the incident's current state, before every model call:
 *
 * <ul>
 *   <li>always the read-only tools (search, similar incidents, incident, asset, runbook, run,
 *       check results of approved runbooks);
 *   <li>no run active: {@code propose_<runbook>} for each runbook whose exact content is approved
 *       and active here; every other runbook's propose tool is withheld with the gate's reason;
 *   <li>a run active: {@code request_step_<step>} for exactly the run's allowed next steps, typed
 *       from the runbook the run was started from (same content hash); nothing is offered for a
 *       run whose runbook file changed since, and no propose tool at all.
 * </ul>
 */
final class MenuBuilder {
  private final AgentDeps deps;
  private final Duration checkTimeout;

  MenuBuilder(AgentDeps deps, Duration checkTimeout) {
    this.deps = deps;
    this.checkTimeout = checkTimeout;
  }

  private record Gated(Runbook runbook, Optional<String> refusal) {}

  Future<ToolMenu> build(String incidentId) {
    return deps.vertx().executeBlocking(deps.catalog(), false)
        .compose(catalog -> gate(catalog).compose(gated -> deps.runs().activeRun(incidentId)
            .map(active -> menu(catalog, gated, active))));
  }

  private Future<List<Gated>> gate(RunbookCatalog catalog) {
    List<Future<Gated>> all = new ArrayList<>();
    for (Runbook r : catalog.runbooks()) {
      all.add(deps.gate().refusal(r).map(refusal -> new Gated(r, refusal)));
    }
    return Future.all(all).map(done -> {
      List<Gated> out = new ArrayList<>();
      for (int i = 0; i < all.size(); i++) {
        out.add(done.resultAt(i));
      }
      return out;
    });
  }

  private ToolMenu menu(RunbookCatalog catalog, List<Gated> gated, Optional<RecoveryRuns.RunView> active) {
    Map<String, AgentTool> offered = new LinkedHashMap<>();
    Map<String, String> withheld = new LinkedHashMap<>();
    IncidentService incidents = deps.incidents();
    List<Runbook> startable = gated.stream().filter(g -> g.refusal().isEmpty()).map(Gated::runbook).toList();
    add(offered, SearchTool.runbooks(deps.search()));
    add(offered, SearchTool.incidents(deps.search()));
    add(offered, SearchTool.docs(deps.search()));
    add(offered, new SimilarIncidentsTool(incidents));
    add(offered, new IncidentTool(incidents));
    add(offered, new AssetTool(deps.knowledge()));
    if (!catalog.runbooks().isEmpty()) {
      add(offered, new RunbookTool(catalog.runbooks(), deps.gate()));
    }
    add(offered, new RunStatusTool(deps.runs()));
    if (!startable.isEmpty()) {
      add(offered, new CheckResultsTool(deps.vertx(), startable, deps.checks(), deps.templateEnv(), deps.secretEnv(),
          checkTimeout));
    }
    if (active.isEmpty()) {
      for (Gated g : gated) {
        String name = ProposeTool.nameFor(g.runbook().id());
        if (g.refusal().isEmpty()) {
          add(offered, new ProposeTool(g.runbook(), deps.runs()));
        } else {
          withheld.put(name, "runbook " + g.runbook().id() + " version " + g.runbook().version()
              + " may not be proposed: " + g.refusal().get());
        }
      }
      return new ToolMenu(ToolMenu.NO_ACTIVE_RUN, offered, withheld, active);
    }
    RecoveryRuns.RunView run = active.get();
    Optional<Runbook> same = catalog.get(run.runbookId()).filter(r -> r.contentHash().equals(run.contentHash()));
    for (RecoveryRuns.StepView step : run.steps()) {
      String name = RequestStepTool.nameFor(step.id());
      if (same.isEmpty()) {
        withheld.put(name, "the file of runbook " + run.runbookId() + " changed (or is gone) since run " + run.id()
            + " started from content " + run.contentHash().substring(0, 12) + "…: no step of it can be requested;"
            + " a person must abort the run");
      } else if (run.allowedNextSteps().contains(step.id())) {
        add(offered, new RequestStepTool(run, step, same.get(), deps.runs()));
      } else {
        withheld.put(name, "step " + step.id() + " (" + step.state() + ") is not an allowed next step of run "
            + run.id() + "; allowed next: " + (run.allowedNextSteps().isEmpty() ? "none (the run waits for "
            + run.waitingFor().orElse("the engine") + ")" : String.join(", ", run.allowedNextSteps()))
            + ". Steps cannot be skipped or taken out of order.");
      }
    }
    return new ToolMenu(ToolMenu.RUN_ACTIVE, offered, withheld, active);
  }

  private static void add(Map<String, AgentTool> menu, AgentTool tool) {
    menu.put(tool.name(), tool);
  }
}
