package dev.rebound.drill;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The direction of recovery times over the last passed drills, newest first: the newest against
 * the mean of the ones before it, with a 10% dead band so noise does not read as a trend.
 */
public record DrillTrend(List<Long> recoveryMs, String direction) {
  public static final int WINDOW = 10;

  public static DrillTrend of(List<DrillRecord> newestFirst) {
    List<Long> times = newestFirst.stream().filter(r -> r.status().equals("passed"))
        .flatMap(r -> r.recoveryMs().stream()).limit(WINDOW).toList();
    if (times.size() < 2) {
      return new DrillTrend(times, "not enough drills");
    }
    double before = times.subList(1, times.size()).stream().mapToLong(Long::longValue).average().orElseThrow();
    long newest = times.get(0);
    String direction = newest < before * 0.9 ? "improving" : newest > before * 1.1 ? "worsening" : "steady";
    return new DrillTrend(times, direction);
  }

  public ObjectNode toJson() {
    ObjectNode o = DrillReport.JSON.createObjectNode();
    recoveryMs.forEach(o.putArray("recovery_ms")::add);
    o.put("direction", direction);
    return o;
  }
}
