package dev.rebound.engine.action;

import dev.rebound.audit.Masker;
import dev.rebound.runbook.Action;
import java.time.Duration;
import java.util.Objects;

/**
 * {@code type: manual}: a person did the work. This executor changes nothing; it only records who
 * confirmed it and their note. The engine calls it after the confirmation (an approval by a person
 * allowed to give it), and it refuses a call without {@link ActionContext#confirmedBy()}, so a
 * manual step can never "succeed" on its own. Output: {@code confirmed_by}, {@code note} (empty
 * when none was given).
 */
public final class ManualActionExecutor implements ActionExecutor {
  private final Masker masker;

  public ManualActionExecutor(Masker masker) {
    this.masker = Objects.requireNonNull(masker, "masker");
  }

  @Override
  public ActionOutcome execute(Action rendered, ActionContext ctx) throws ActionFailedException {
    if (!(rendered instanceof Action.Manual)) {
      throw new IllegalArgumentException("not a manual action: " + rendered.type());
    }
    String person = ctx.confirmedBy().orElseThrow(() -> ActionFailedException.permanent(masker,
        "manual step '" + ctx.stepId() + "' has no confirmation: a person must confirm it is done"));
    String note = ctx.note().orElse("");
    var output = Outputs.masked(masker, Outputs.object().put("confirmed_by", person).put("note", note));
    String summary = "confirmed by " + person + (note.isBlank() ? "" : ": " + Outputs.snippet(note, 200));
    return new ActionOutcome(output, masker.mask(summary), Duration.ZERO);
  }
}
