package dev.rebound.inventory;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/** {@link RecoveryPlan} as the API shows it: waves to work through in order, and the flat order. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record RecoveryOrderView(List<String> failed, List<Wave> waves, List<String> order) {

  public static RecoveryOrderView of(RecoveryPlan plan) {
    List<Wave> waves = plan.waves().stream()
        .map(w -> new Wave(w.number(), w.targets().stream().map(Item::of).toList()))
        .toList();
    return new RecoveryOrderView(plan.failed(), waves, plan.order().stream().map(t -> t.asset().id()).toList());
  }

  /** The assets of one wave can be recovered in parallel. */
  public record Wave(int wave, List<Item> assets) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Item(String id, String name, AssetKind kind, String owner, Integer tier,
      RecoveryPlan.Action action, String rto, long rtoMs, List<String> recoveryRunbooks) {

    static Item of(RecoveryPlan.Target t) {
      Asset a = t.asset();
      return new Item(a.id(), a.name(), a.kind(), a.owner(), a.tier(), t.action(),
          Durations.format(a.rto()), a.rto().toMillis(), a.recoveryRunbooks());
    }
  }
}
