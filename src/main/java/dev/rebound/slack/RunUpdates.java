package dev.rebound.slack;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Thread replies for a run's transitions (the engine's audit entries as published on the event
 * bus): step started, succeeded, failed, rolled back; approvals and rejections; final validation;
 * the run's end with the time it took, against the RTO when it recovered. Entries that need no reply give empty.
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
          + (d.path("approvals_required").asInt() - d.path("approvals").asInt()) + " more approval(s) by someone else";
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
