package dev.rebound.agent;

import dev.rebound.incident.Incident;
import dev.rebound.incident.IncidentSuggestions;
import dev.rebound.incident.RunbookRef;
import dev.rebound.incident.RunbookSuggestion;
import dev.rebound.incident.SimilarIncident;
import dev.rebound.runbook.Runbook;
import dev.rebound.runbook.RunbookCatalog;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Guided mode: what Rebound suggests from retrieval and the runbooks' own steps, with no model.
 * The same answer is the fallback when a model call fails or a turn hits a limit. Each part is
 * computed independently and a part that fails is named in {@code problems}, never fatal.
 */
final class Guide {
  private static final int SIMILAR = 3;
  private static final int RUNBOOKS = 3;

  private final AgentDeps deps;

  Guide(AgentDeps deps) {
    this.deps = deps;
  }

  Future<GuidedSuggestions> suggest(String incidentId) {
    List<String> problems = new ArrayList<>();
    // One computation for both parts: the similar incidents are also the runbooks' precedent.
    IncidentSuggestions found = deps.incidents().suggest(incidentId, SIMILAR, RUNBOOKS);
    Future<List<GuidedSuggestions.Similar>> similar = found.similar()
        .map(list -> list.stream().map(Guide::similar).toList())
        .recover(e -> none(problems, "similar incidents unavailable: " + e.getMessage()));
    Future<List<GuidedSuggestions.Suggested>> runbooks = found.runbooks()
        .compose(this::withStatus)
        .recover(e -> none(problems, "runbook suggestions unavailable: " + e.getMessage()));
    Future<Optional<RecoveryRuns.RunView>> active = deps.runs().activeRun(incidentId)
        .recover(e -> {
          synchronized (problems) {
            problems.add("run state unavailable: " + e.getMessage());
          }
          return Future.succeededFuture(Optional.empty());
        });
    return Future.join(similar, runbooks, active).transform(done -> {
      Optional<RecoveryRuns.RunView> run = active.result();
      Optional<PendingApproval> next = run.flatMap(r -> r.steps().stream()
          .filter(s -> s.state().equals("awaiting_approval")).findFirst()
          .map(s -> PendingApproval.ofStep(r, s, Optional.empty())));
      return Future.succeededFuture(new GuidedSuggestions(run.map(GuidedSuggestions.ActiveRun::of),
          similar.result(), runbooks.result(), next, problems));
    });
  }

  private Future<List<GuidedSuggestions.Suggested>> withStatus(List<RunbookSuggestion> list) {
    return deps.vertx().executeBlocking(deps.catalog(), false).compose(catalog -> {
      List<Future<GuidedSuggestions.Suggested>> out = new ArrayList<>();
      for (RunbookSuggestion s : list) {
        out.add(status(catalog, s));
      }
      return Future.all(out).map(all -> {
        List<GuidedSuggestions.Suggested> result = new ArrayList<>();
        for (int i = 0; i < out.size(); i++) {
          result.add(all.resultAt(i));
        }
        return result;
      });
    });
  }

  private Future<GuidedSuggestions.Suggested> status(RunbookCatalog catalog, RunbookSuggestion s) {
    Optional<Runbook> runbook = catalog.get(s.runbookId());
    if (runbook.isEmpty()) {
      return Future.succeededFuture(new GuidedSuggestions.Suggested(s.runbookId(), s.version(), s.title(), s.score(),
          s.reasons(), "not loaded (see rebound lint)", false));
    }
    return deps.gate().refusal(runbook.get()).map(refusal -> new GuidedSuggestions.Suggested(s.runbookId(),
        runbook.get().version(), s.title(), s.score(), s.reasons(), refusal.orElse("approved and active"),
        refusal.isEmpty()));
  }

  private static GuidedSuggestions.Similar similar(SimilarIncident s) {
    Incident i = s.incident();
    return new GuidedSuggestions.Similar(i.id(), i.title(), i.status().wireName(), s.score(), s.reasons(),
        i.resolution(),
        i.runbooksUsed().stream().map(RunbookRef::toString).toList());
  }

  private static <T> Future<List<T>> none(List<String> problems, String problem) {
    synchronized (problems) {
      problems.add(problem);
    }
    return Future.succeededFuture(List.of());
  }

  /** The suggestions as text for the reply. */
  static String text(String incidentId, GuidedSuggestions g) {
    StringBuilder sb = new StringBuilder();
    // A run in progress comes first: at that point it, not another suggestion, is the answer.
    g.activeRun().ifPresent(r -> sb.append("Run in progress: ").append(r.id()).append(" (").append(r.runbookId())
        .append(" v").append(r.runbookVersion()).append(") is ").append(r.state())
        .append(r.waitingFor().map(w -> ", waiting for " + w).orElse("")).append(". GET /api/runs/").append(r.id())
        .append(" shows its steps.\n\n"));
    sb.append("Suggestions for ").append(incidentId).append(" from Rebound's own retrieval and runbooks:\n");
    if (!g.similarIncidents().isEmpty()) {
      sb.append("\nMost similar past incidents:\n");
      for (GuidedSuggestions.Similar s : g.similarIncidents()) {
        sb.append("- ").append(s.id()).append(" \"").append(s.title()).append("\" (score ")
            .append(Math.round(s.score() * 100) / 100.0).append(")");
        s.unresolvedNote().ifPresent(note -> sb.append(" [").append(note).append("]"));
        if (!s.reasons().isEmpty()) {
          sb.append(": ").append(String.join("; ", s.reasons()));
        }
        if (!s.resolution().isBlank()) {
          sb.append(". Resolved: ").append(AgentJson.cut(s.resolution(), 200));
        }
        if (!s.runbooksUsed().isEmpty()) {
          sb.append(" Runbooks used: ").append(String.join(", ", s.runbooksUsed()));
        }
        sb.append('\n');
      }
    }
    if (!g.suggestedRunbooks().isEmpty()) {
      sb.append("\nRunbooks that fit:\n");
      for (GuidedSuggestions.Suggested s : g.suggestedRunbooks()) {
        sb.append("- ").append(s.id()).append(" v").append(s.version()).append(" \"").append(s.title()).append("\" (")
            .append(s.status()).append(")");
        if (!s.reasons().isEmpty()) {
          sb.append(": ").append(String.join("; ", s.reasons()));
        }
        sb.append('\n');
      }
    }
    g.nextStep().ifPresent(p -> sb.append("\nWaiting for a person: ").append(p.title())
        .append(p.stepId().map(id -> " (step " + id + ", risk " + p.risk() + ", " + p.approvalsNeeded()
            + (p.approvalsNeeded() == 1 ? " approval" : " approvals") + " needed)").orElse(""))
        .append(" of run ").append(p.runId()).append(": ")
        .append("POST ").append(p.approvePath()).append('\n'));
    if (g.similarIncidents().isEmpty() && g.suggestedRunbooks().isEmpty() && g.activeRun().isEmpty()) {
      sb.append("\nNothing to suggest yet.\n");
    }
    if (!g.problems().isEmpty()) {
      sb.append("\nNot available: ").append(String.join("; ", g.problems())).append('\n');
    }
    return sb.toString().strip();
  }
}
