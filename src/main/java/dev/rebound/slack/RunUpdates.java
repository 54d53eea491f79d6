package dev.rebound.slack;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Thread replies for a run's transitions (the engine's audit entries as published on the event
 * bus): step started, succeeded, failed, rolled back; approvals and rejections; final validation;
 * the run's end with the time it took, against the RTO when it recovered, and what a run that did not
 * recover left in effect. Entries that need no reply give empty.
 */
final class RunUpdates {
  private RunUpdates() {}

  /**
   * @param createdAt when the run was created, for the time taken
   * @param rto the tightest RTO of the runbook's assets, if known; a run that succeeded is judged against it
   */
  static Optional<String> reply(JsonNode entry, Instant createdAt, Optional<Duration> rto) {
    JsonNode d = entry.path("details");
    String step = "`" + SlackText.escape(d.path("step_id").asText()) + "`";
    String actor = SlackText.escape(entry.path("actor_id").asText());
    return Optional.ofNullable(switch (entry.path("action").asText()) {
      case "step.started" -> ":arrow_forward: Step " + step + " started (attempt " + d.path("attempt").asInt() + ")";
      case "step.succeeded" -> ":white_check_mark: Step " + step + " succeeded";
      case "step.failed" -> ":x: Step " + step + " failed: " + text(d, "error")
          + " - retry, roll back or abort from the console";
      case "step.rolled_back" -> ":leftwards_arrow_with_hook: Step " + step + " rolled back";
      case "step.approved" -> ":ballot_box_with_check: Step " + step + " approved by " + actor;
      // The first of two approvals of a high-risk step: the thread says who gave it and what is missing.
      case "approval.recorded" -> ":ballot_box_with_check: " + actor + " approved step " + step + " ("
          + d.path("approvals").asInt() + " of " + d.path("approvals_required").asInt() + "): it runs after "
          + more(d.path("approvals_required").asInt() - d.path("approvals").asInt()) + " by someone else";
      case "step.rejected" -> ":no_entry: Step " + step + " rejected by " + actor
          + (d.hasNonNull("reason") ? ": " + text(d, "reason") : "");
      case "check.passed", "check.failed" -> "validation".equals(d.path("phase").asText())
          ? (entry.path("action").asText().equals("check.passed") ? ":white_check_mark:" : ":x:")
              + " Final validation `" + SlackText.escape(d.path("name").asText()) + "` "
              + (entry.path("action").asText().equals("check.passed") ? "passed" : "failed: " + text(d, "message"))
          : null;
      case "run.succeeded" -> ":tada: Run succeeded in " + human(took(entry, createdAt))
          + againstRto(entry, createdAt, rto);
      case "run.failed" -> ":rotating_light: Run failed after " + human(took(entry, createdAt)) + ": "
          + text(d, "error");
      case "run.rolled_back" -> ":leftwards_arrow_with_hook: Run rolled back after " + human(took(entry, createdAt));
      case "run.aborted" -> ":octagonal_sign: Run aborted by " + actor + " after " + human(took(entry, createdAt));
      default -> null;
    });
  }

  /**
   * A line for the end of a run that did not recover, from its view's {@code left_in_effect}: the
   * steps whose change stays, each with its undo, and how to undo them (a failed run can be
   * rolled back; an aborted or rolled-back one is over, so only by hand). Empty when nothing stays.
   */
  static Optional<String> leftInEffect(JsonNode view, Optional<String> consoleUrl) {
    JsonNode left = view.path("left_in_effect");
    if (left.isEmpty()) {
      return Optional.empty();
    }
    List<String> steps = new ArrayList<>();
    long rollback = 0;
    long byHand = 0;
    for (JsonNode s : left) {
      String undo = s.path("undo").asText();
      rollback += "rollback".equals(undo) ? 1 : 0;
      byHand += "by_hand".equals(undo) ? 1 : 0;
      steps.add("`" + SlackText.escape(s.path("step_id").asText()) + "` ("
          + ("maybe".equals(s.path("applied").asText()) ? "may have applied; " : "")
          + ("none".equals(undo) ? "no undo" : "undo: `" + SlackText.escape(SlackText.cut(
              s.path("undo_summary").asText("see the run"), 200)) + "`") + ")");
    }
    String runId = view.path("id").asText();
    StringBuilder out = new StringBuilder(":warning: Left in effect: ").append(String.join(", ", steps)).append('.');
    if (rollback > 0) {
      out.append(" Roll the run back to run ").append(rollback == 1 ? "this undo" : "these undos")
          .append(": *Roll back* in the console")
          .append(consoleUrl.map(c -> " (" + c + "/#/runs/" + runId + ")").orElse("")).append(" or `POST /api/runs/")
          .append(SlackText.escape(runId)).append("/rollback`.");
    }
    if (byHand > 0) {
      out.append(" The run has ended, so Rebound will not run ")
          .append(byHand == 1 ? "this undo: do it" : "these undos: do them").append(" by hand.");
    }
    return Optional.of(out.toString());
  }

  private static String more(int missing) {
    return missing + (missing == 1 ? " more approval" : " more approvals");
  }

  /** Whether the entry ends the run (no more updates follow). */
  static boolean ends(JsonNode entry) {
    return switch (entry.path("action").asText()) {
      case "run.succeeded", "run.failed", "run.rolled_back", "run.aborted" -> true;
      default -> false;
    };
  }

  private static Duration took(JsonNode entry, Instant createdAt) {
    return Duration.between(createdAt, Instant.parse(entry.path("at").asText()));
  }

  /** Only a run that recovered is judged against the RTO: one that failed or was stopped recovered nothing. */
  private static String againstRto(JsonNode entry, Instant createdAt, Optional<Duration> rto) {
    Duration took = took(entry, createdAt);
    return rto.map(r -> " against an RTO of " + Suggestion.duration(r)
        + (took.compareTo(r) <= 0 ? " (within)" : " (*over* by " + human(took.minus(r)) + ")")).orElse("");
  }

  static String human(Duration d) {
    long s = Math.max(0, d.toSeconds());
    return s >= 60 ? s / 60 + "m " + s % 60 + "s" : s + "s";
  }

  private static String text(JsonNode details, String field) {
    return SlackText.escape(SlackText.cut(details.path(field).asText(""), 500));
  }
}
