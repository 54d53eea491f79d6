package dev.rebound.cli;

import dev.rebound.inventory.RecoveryOrderView;
import java.io.PrintWriter;

/** A recovery order for a person: waves in order, what to do with each asset and with which runbook. */
final class RecoveryOrderText {
  private RecoveryOrderText() {}

  static void print(RecoveryOrderView view, PrintWriter out) {
    int waves = view.waves().size();
    out.println("recovery order after " + String.join(", ", view.failed()) + " failed: "
        + Words.count(view.order().size(), "asset") + " in " + Words.count(waves, "wave")
        + " (dependencies first; assets in one wave can be recovered in parallel)");
    for (RecoveryOrderView.Wave wave : view.waves()) {
      out.println();
      out.println("wave " + wave.wave());
      Table table = new Table("  ACTION", "ASSET", "KIND", "TIER", "RTO", "RUNBOOKS");
      for (RecoveryOrderView.Item item : wave.assets()) {
        table.row("  " + item.action().jsonName(), item.id(), item.kind().yamlName(),
            item.tier() == null ? "-" : String.valueOf(item.tier()), item.rto(),
            item.recoveryRunbooks().isEmpty() ? "-" : String.join(", ", item.recoveryRunbooks()));
      }
      table.print(out);
    }
  }
}
