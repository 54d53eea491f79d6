package dev.rebound.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.runbook.Action;
import java.util.List;
import java.util.Optional;

/**
 * What a run that ended without recovering (aborted, failed, rolled back) left changed: each step
 * that may have changed its target and was not undone, and how it can be undone. Told, not done:
 * a failed run can still be rolled back (its undos run then); an aborted or rolled-back run is
 * over, so a recorded undo is only there for a person to do by hand; a step without one stays.
 * The steps picked are those {@link Rollback#needsUndo} would unwind, less read-only ones, and a
 * step skipped after a retry was asked (the run ended before it ran again): its earlier attempt
 * may have applied, and no rollback unwinds it.
 */
final class LeftInEffect {
  private static final List<RunState> UNRECOVERED = List.of(RunState.ABORTED, RunState.FAILED, RunState.ROLLED_BACK);

  private LeftInEffect() {}

  /** Null while the run may still recover or after it did; otherwise the steps, possibly none. */
  static ArrayNode of(RunRecord run, List<StepRecord> steps) {
    if (!UNRECOVERED.contains(run.state())) {
      return null;
    }
    ArrayNode out = RunRows.JSON.createArrayNode();
    for (StepRecord s : steps) {
      boolean undone = s.state() == StepState.ROLLED_BACK || "done".equals(s.undoState());
      boolean applied = s.state() == StepState.SUCCEEDED
          || ((s.state() == StepState.FAILED || s.state() == StepState.SKIPPED) && s.mayHaveApplied());
      if (!applied || undone || !mutating(s)) {
        continue;
      }
      ObjectNode o = out.addObject();
      o.put("step_id", s.stepId()).put("title", s.title())
          .put("applied", s.state() == StepState.SUCCEEDED ? "yes" : "maybe")
          .put("undo", s.undo().isEmpty() ? "none"
              : run.state() == RunState.FAILED && Rollback.needsUndo(s) ? "rollback" : "by_hand");
      o.put("undo_summary", s.undo().flatMap(LeftInEffect::summary).orElse(null));
    }
    return out;
  }

  /** Read-only steps (GET, read-only SQL, wait) changed nothing; a step whose action is unknown may have. */
  private static boolean mutating(StepRecord s) {
    return s.actionDisplay().map(a -> parsed(a).map(Action::isMutating).orElse(true)).orElse(true);
  }

  private static Optional<String> summary(JsonNode undo) {
    return parsed(undo).map(Action::summary);
  }

  // The stored displays are masked renderings: they parse as actions, but a view must not fail if one does not.
  private static Optional<Action> parsed(JsonNode display) {
    try {
      return Optional.of(Action.of(display));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }
}
