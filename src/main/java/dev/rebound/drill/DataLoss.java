package dev.rebound.drill;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * Data loss against RPO, where a drill can measure it: a step whose output reports
 * {@code rows_lost} (rows that existed before the fault and are not back) or
 * {@code data_loss_seconds} (the window of writes lost). Runbooks that report neither say so.
 */
final class DataLoss {
  private DataLoss() {}

  static String describe(Map<String, JsonNode> outputs, List<DrillReport.AssetVerdict> assets) {
    long tightestRpo = assets.stream().mapToLong(DrillReport.AssetVerdict::rpoSeconds).min().orElse(-1);
    for (Map.Entry<String, JsonNode> e : outputs.entrySet()) {
      JsonNode seconds = e.getValue().path("data_loss_seconds");
      if (seconds.isNumber()) {
        return seconds.asLong() + "s of writes lost (step " + e.getKey() + "), RPO " + tightestRpo + "s: "
            + (tightestRpo < 0 || seconds.asLong() <= tightestRpo ? "within" : "BEYOND") + " RPO";
      }
      JsonNode rows = e.getValue().path("rows_lost");
      if (rows.isNumber()) {
        return rows.asLong() + " rows lost (step " + e.getKey() + ")" + (rows.asLong() == 0 ? ": within RPO" : "");
      }
    }
    return "not measured: no step of this runbook reports rows_lost or data_loss_seconds";
  }
}
