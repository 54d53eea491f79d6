package dev.rebound.drill;

import dev.rebound.engine.action.ActionContext;
import dev.rebound.engine.action.ActionExecutor;
import dev.rebound.engine.action.ActionFailedException;
import dev.rebound.engine.action.ActionOutcome;
import dev.rebound.engine.action.WaitActionExecutor;
import dev.rebound.runbook.Action;
import java.time.Duration;

/**
 * The {@code wait} executor of the drill engine: the standard wait, its duration multiplied by
 * the configured drill wait scale (1 = real time). Only for drills against the demo system,
 * whose background loops can run faster too; every report records the scale it ran with.
 */
public final class ScaledWait implements ActionExecutor {
  private final WaitActionExecutor real = new WaitActionExecutor();
  private final double scale;

  public ScaledWait(double scale) {
    if (!(scale > 0 && scale <= 1)) {
      throw new IllegalArgumentException("wait scale must be in (0, 1], got " + scale);
    }
    this.scale = scale;
  }

  @Override
  public ActionOutcome execute(Action rendered, ActionContext ctx) throws ActionFailedException {
    if (scale == 1 || !(rendered instanceof Action.Wait wait)) {
      return real.execute(rendered, ctx);
    }
    Duration scaled = Duration.ofMillis(Math.max(1, Math.round(wait.duration().toMillis() * scale)));
    ActionOutcome outcome = real.execute(new Action.Wait(scaled, wait.raw()), ctx);
    return new ActionOutcome(outcome.output(), outcome.summary() + " (drill: " + wait.duration().toSeconds()
        + "s scaled by " + scale + ")", outcome.duration());
  }
}
