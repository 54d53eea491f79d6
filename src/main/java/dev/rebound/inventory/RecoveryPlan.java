package dev.rebound.inventory;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;
import java.util.Locale;

/**
 * What to bring back after {@code failed} broke, dependencies first. Each wave holds assets whose
 * upstreams (within the plan) are all in earlier waves, so a wave's assets can be worked on in
 * parallel; within a wave, tier 1 comes first, then by id.
 */
public record RecoveryPlan(List<String> failed, List<Wave> waves) {
  public RecoveryPlan {
    failed = List.copyOf(failed);
    waves = List.copyOf(waves);
  }

  /** Every target in order: wave by wave. */
  public List<Target> order() {
    return waves.stream().flatMap(w -> w.targets().stream()).toList();
  }

  /** {@code number} counts from 1. */
  public record Wave(int number, List<Target> targets) {
    public Wave {
      targets = List.copyOf(targets);
    }
  }

  public record Target(Asset asset, Action action) {}

  /** A failed asset is restored; one downstream of a failure may be intact but must be re-validated. */
  public enum Action {
    RESTORE,
    REVALIDATE;

    @JsonValue
    public String jsonName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }
}
