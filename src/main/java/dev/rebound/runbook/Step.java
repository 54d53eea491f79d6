package dev.rebound.runbook;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One step of a runbook, defaults applied ({@code timeout} 60s, no retries, {@code targets} =
 * the runbook's assets). {@code index} is 0-based; {@code pointer} is its JSON Pointer in the
 * file ({@code /steps/2}), for positions.
 */
public record Step(
    int index,
    String id,
    String title,
    Optional<String> description,
    Risk risk,
    Action action,
    List<Check> verify,
    Optional<Action> rollback,
    Optional<Boolean> reversible,
    boolean idempotent,
    Duration timeout,
    Retries retries,
    List<String> targets) {

  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

  public Step {
    verify = List.copyOf(verify);
    targets = List.copyOf(targets);
  }

  /** Whether the action may change a system (per action type; see the format doc). */
  public boolean isMutating() {
    return action.isMutating();
  }

  /**
   * A mutating step with nothing to undo it: the run cannot be unwound past it. Lint makes sure
   * this is declared ({@code reversible: false}) rather than forgotten.
   */
  public boolean isIrreversible() {
    return isMutating() && rollback.isEmpty();
  }

  public String pointer() {
    return "/steps/" + index;
  }
}
