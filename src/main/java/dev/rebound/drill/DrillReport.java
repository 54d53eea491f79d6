package dev.rebound.drill;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.engine.check.CheckResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What one drill found, filled in phase by phase by the runner and stored as JSON (the API's
 * report). Times: {@code detection_ms} from the injection until a check that passed before the
 * fault failed; {@code recovery_ms} from the injection until the runbook's validation passed,
 * the figure each affected asset's RTO is compared with; each step's own duration beside it.
 * Not thread-safe: one runner thread owns it until it is finished.
 */
public final class DrillReport {
  static final ObjectMapper JSON = new ObjectMapper();

  public enum Status { RUNNING, PASSED, FAILED;
    public String wire() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  record StepTime(String stepId, Long durationMs, String state) {}

  record AssetVerdict(String id, long rtoSeconds, long rpoSeconds, Boolean withinRto) {}

  final String drillId;
  final Scenario scenario;
  final Instant startedAt;
  final double waitScale;
  Status status = Status.RUNNING;
  Instant finishedAt;
  String phase = "starting";
  Long detectionMs;
  Long recoveryMs;
  String runId;
  String runState;
  String chosenRunbook;
  List<String> candidates = List.of();
  String retrievalError;
  final List<String> detectedBy = new ArrayList<>();
  final List<StepTime> steps = new ArrayList<>();
  final List<AssetVerdict> assets = new ArrayList<>();
  final List<CheckResult> validation = new ArrayList<>();
  ObjectNode params = JSON.createObjectNode();
  String dataLoss;
  String failure;
  /** The demo system the drill breaks (where its fault is, should the drill be interrupted). */
  String demoUrl;
  boolean demoReset;

  DrillReport(String drillId, Scenario scenario, Instant startedAt, double waitScale) {
    this.drillId = drillId;
    this.scenario = scenario;
    this.startedAt = startedAt;
    this.waitScale = waitScale;
  }

  public String drillId() {
    return drillId;
  }

  public Status status() {
    return status;
  }

  public Long recoveryMs() {
    return recoveryMs;
  }

  public String failure() {
    return failure;
  }

  /** Whether every affected asset was recovered within its RTO (null until measured). */
  public Boolean withinRto() {
    if (recoveryMs == null || assets.isEmpty()) {
      return null;
    }
    return assets.stream().allMatch(a -> Boolean.TRUE.equals(a.withinRto()));
  }

  public ObjectNode toJson() {
    ObjectNode o = JSON.createObjectNode();
    o.put("drill_id", drillId).put("scenario", scenario.id()).put("title", scenario.title())
        .put("fault", scenario.fault()).put("runbook_id", scenario.expectedRunbook()).put("status", status.wire())
        .put("phase", phase).put("started_at", startedAt.toString())
        .put("finished_at", finishedAt == null ? null : finishedAt.toString());
    putLong(o, "detection_ms", detectionMs);
    putLong(o, "recovery_ms", recoveryMs);
    o.put("within_rto", withinRto());
    o.put("wait_scale", waitScale);
    o.put("run_id", runId).put("run_state", runState);
    o.set("params", params);
    detectedBy.forEach(o.putArray("detected_by")::add);
    ArrayNode stepArray = o.putArray("steps");
    for (StepTime s : steps) {
      ObjectNode step = stepArray.addObject().put("step_id", s.stepId());
      putLong(step, "duration_ms", s.durationMs());
      step.put("state", s.state());
    }
    ArrayNode assetArray = o.putArray("assets");
    for (AssetVerdict a : assets) {
      assetArray.addObject().put("id", a.id()).put("rto_seconds", a.rtoSeconds()).put("rpo_seconds", a.rpoSeconds())
          .put("within_rto", a.withinRto());
    }
    ObjectNode retrieval = o.putObject("retrieval");
    retrieval.put("expected", scenario.expectedRunbook()).put("chosen", chosenRunbook)
        .put("matched", scenario.expectedRunbook().equals(chosenRunbook));
    candidates.forEach(retrieval.putArray("candidates")::add);
    retrieval.put("error", retrievalError);
    ArrayNode checks = o.putArray("validation");
    for (CheckResult r : validation) {
      checks.addObject().put("name", r.name()).put("passed", r.passed()).put("observed", r.observed())
          .put("message", r.message());
    }
    o.put("data_loss", dataLoss);
    o.put("failure", failure);
    o.put("demo_url", demoUrl);
    o.put("demo_reset", demoReset);
    return o;
  }

  private static void putLong(ObjectNode o, String field, Long value) {
    if (value == null) {
      o.putNull(field);
    } else {
      o.put(field, value);
    }
  }
}
