package dev.rebound.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A drill report for people, a few lines. */
final class DrillText {
  private DrillText() {}

  /**
   * A duration in seconds with one decimal, as every drill text shows it: whole seconds read
   * 4593 ms as 4s, and 300.9 s against a 300 s RTO as "300s ... MISSED".
   */
  static String seconds(long ms) {
    return String.format(Locale.ROOT, "%.1fs", ms / 1000.0);
  }

  static String seconds(JsonNode ms) {
    return ms.isNumber() ? seconds(ms.asLong()) : "-";
  }

  static void print(PrintWriter out, JsonNode r) {
    out.println("drill " + r.path("scenario").asText() + " (" + r.path("drill_id").asText() + "): "
        + r.path("status").asText().toUpperCase(Locale.ROOT)
        + (r.path("recovery_ms").isNumber() ? ", recovered in " + seconds(r.path("recovery_ms"))
            + " from the fault to passing validation" : ""));
    out.println("  fault       " + r.path("fault").asText());
    List<String> by = new ArrayList<>();
    r.path("detected_by").forEach(n -> by.add(n.asText()));
    out.println("  detection   " + seconds(r.path("detection_ms"))
        + (by.isEmpty() ? "" : " (" + String.join("; ", by) + ")"));
    JsonNode ret = r.path("retrieval");
    out.println("  retrieval   expected " + ret.path("expected").asText() + ", search chose "
        + (ret.path("chosen").isNull() ? "nothing" : ret.path("chosen").asText())
        + (ret.path("matched").asBoolean() ? " (match)" : " (MISMATCH)")
        + (ret.path("error").isNull() ? "" : ": " + ret.path("error").asText()));
    List<String> steps = new ArrayList<>();
    r.path("steps").forEach(s -> steps.add(s.path("step_id").asText() + " " + seconds(s.path("duration_ms"))
        + (s.path("state").asText().equals("succeeded") ? "" : " [" + s.path("state").asText() + "]")));
    out.println("  steps       " + (steps.isEmpty() ? "-" : String.join(" · ", steps)));
    r.path("assets").forEach(a -> out.println("  asset       " + a.path("id").asText() + ": RTO "
        + a.path("rto_seconds").asLong() + "s, " + (a.path("within_rto").asBoolean() ? "within" : "MISSED")));
    if (!r.path("data_loss").isNull()) {
      out.println("  data loss   " + r.path("data_loss").asText());
    }
    out.println("  run         " + r.path("run_id").asText("-") + " (" + r.path("run_state").asText("-")
        + "), waits scaled by " + r.path("wait_scale").asDouble());
    out.println("  demo reset  " + (r.path("demo_reset").asBoolean() ? "yes" : "NO"));
    if (!r.path("failure").isNull()) {
      out.println("  failure     " + r.path("failure").asText());
    }
  }
}
