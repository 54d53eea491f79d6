package dev.rebound.drill;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.audit.ActorType;
import dev.rebound.engine.Actor;
import dev.rebound.engine.Engine;
import dev.rebound.engine.NewRun;
import dev.rebound.engine.RunKind;
import dev.rebound.inventory.Role;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Drives one drill run through the engine's public API, as a person would through the console:
 * start it as the drill identity, approve each step as it comes up (the drill identity, which
 * the engine accepts only on drill runs, audited as such), and stop at the first thing a person
 * would have to decide. Blocking: awaits the engine's futures on the drill's own thread.
 */
final class EngineDriver {
  /** The drill identity with the role to abort its own run when the drill ends early. */
  private static final Actor CLEANER = new Actor(ActorType.DRILL, Actor.DRILL_ID, Role.APPROVER, false, false);
  private static final long CALL_TIMEOUT_S = 30;

  private final Engine engine;
  private final Duration poll;
  private final DrillStop stop;
  private String runId;
  private ObjectNode lastView;

  EngineDriver(Engine engine, Duration poll, DrillStop stop) {
    this.engine = engine;
    this.poll = poll;
    this.stop = stop;
  }

  /** How the run ended for the drill. {@code validationOnly}: all steps ran, only the final checks failed. */
  record Outcome(boolean stepsDone, boolean validationOnly, String error) {}

  String start(String runbookId, JsonNode params) {
    ObjectNode view = await(engine.create(Actor.drill(), new NewRun(runbookId, params, Optional.empty(),
        RunKind.DRILL)));
    runId = view.path("id").asText();
    lastView = view;
    return runId;
  }

  /**
   * Approves steps until the run succeeds, fails or waits for a person, until the deadline, or
   * until the drill is asked to stop ({@link DrillStop.Stopped}).
   */
  Outcome drive(Instant deadline) {
    Set<String> approved = new HashSet<>();
    while (true) {
      ObjectNode view = await(engine.view(runId));
      lastView = view;
      String state = view.path("state").asText();
      if (state.equals("succeeded")) {
        return new Outcome(true, false, null);
      }
      if (state.equals("failed") && view.path("work").isNull()) {
        String error = view.path("error").asText("the run failed");
        return new Outcome(allStepsSucceeded(view), error.startsWith("validation check"), error);
      }
      if (state.equals("aborted") || state.equals("rolled_back")) {
        return new Outcome(false, false, "the run was " + state + " by someone else");
      }
      JsonNode awaiting = view.path("awaiting");
      String what = awaiting.path("what").asText("");
      if (what.equals("approval")) {
        String key = awaiting.path("step_id").asText() + "#" + awaiting.path("attempt").asInt();
        if (approved.add(key)) {
          await(engine.approve(Actor.drill(), runId, awaiting.path("step_id").asText(),
              awaiting.path("action_hash").asText()));
          continue;
        }
      } else if (what.equals("decision")) {
        return new Outcome(false, false, awaiting.path("step_id").isMissingNode()
            ? awaiting.path("about").asText()
            : "step " + awaiting.path("step_id").asText() + " failed: " + awaiting.path("about").asText());
      } else if (what.equals("preconditions")) {
        return new Outcome(false, false, "the runbook's " + awaiting.path("about").asText());
      }
      if (Instant.now().isAfter(deadline)) {
        return new Outcome(false, false, "timed out while the run was " + state
            + view.path("waiting_for").asText("").transform(w -> w.isEmpty() ? "" : " (" + w + ")"));
      }
      stop.pause(poll);
    }
  }

  /** The run as last seen. */
  ObjectNode lastView() {
    return lastView;
  }

  /** Step outputs of the last view, for rendering validation checks that use them. */
  Map<String, JsonNode> outputs() {
    Map<String, JsonNode> out = new HashMap<>();
    if (lastView != null) {
      for (JsonNode s : lastView.path("steps")) {
        if (s.path("output").isObject()) {
          out.put(s.path("id").asText(), s.path("output"));
        }
      }
    }
    return out;
  }

  /**
   * Aborts the run unless it is over, so no drill run is left waiting for a person; retried while
   * a step is still running (the engine refuses to abort then), tried at least once. Best effort:
   * a failure here must not hide the drill's own result.
   */
  Optional<String> abortUnlessOver(String reason, Duration patience) {
    if (runId == null) {
      return Optional.empty();
    }
    Instant until = Instant.now().plus(patience);
    String last = null;
    do {
      try {
        ObjectNode view = await(engine.view(runId));
        lastView = view;
        if (java.util.List.of("succeeded", "aborted", "rolled_back").contains(view.path("state").asText())) {
          return Optional.empty();
        }
        lastView = await(engine.abort(CLEANER, runId, reason));
        return Optional.empty();
      } catch (RuntimeException e) {
        last = e.getMessage();
        sleep(poll);
      }
    } while (Instant.now().isBefore(until));
    return Optional.ofNullable(last);
  }

  private static boolean allStepsSucceeded(JsonNode view) {
    for (JsonNode s : view.path("steps")) {
      if (!s.path("state").asText().equals("succeeded")) {
        return false;
      }
    }
    return true;
  }

  private static <T> T await(io.vertx.core.Future<T> future) {
    try {
      return future.await(CALL_TIMEOUT_S, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new DrillFailure("the engine did not answer within " + CALL_TIMEOUT_S + "s");
    }
  }

  static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DrillFailure("interrupted");
    }
  }
}
