package dev.rebound.engine.action;

import dev.rebound.runbook.Action;
import dev.rebound.runbook.Durations;
import java.time.Duration;

/**
 * {@code type: wait}: sleeps for the duration, interruptibly. A wait longer than the step's
 * timeout fails at once, before sleeping: cutting a "let the caches drain for 5m" short to fit a
 * 60s default timeout would silently remove the safety it was written for; the runbook should
 * raise the step's timeout instead. Interruption fails retryably (waiting changed nothing). No
 * output.
 */
public final class WaitActionExecutor implements ActionExecutor {

  @Override
  public ActionOutcome execute(Action rendered, ActionContext ctx) throws ActionFailedException {
    if (!(rendered instanceof Action.Wait action)) {
      throw new IllegalArgumentException("not a wait action: " + rendered.type());
    }
    Duration duration = action.duration();
    if (duration.compareTo(ctx.timeout()) > 0) {
      throw new ActionFailedException("wait " + Durations.format(duration) + " is longer than the step timeout "
          + Durations.format(ctx.timeout()) + "; raise the step's timeout", false, false, null);
    }
    long start = System.nanoTime();
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ActionFailedException("wait interrupted after " + Outputs.millis(Duration.ofNanos(System.nanoTime() - start))
          + " (Rebound is shutting down?)", true, false, null);
    }
    return new ActionOutcome(Outputs.object(), "waited " + Durations.format(duration),
        Duration.ofNanos(System.nanoTime() - start));
  }
}
