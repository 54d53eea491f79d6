package dev.rebound.slack;

import static com.slack.api.model.block.Blocks.section;
import static com.slack.api.model.block.composition.BlockCompositions.markdownText;

import com.fasterxml.jackson.databind.JsonNode;
import com.slack.api.model.block.LayoutBlock;
import dev.rebound.engine.RunState;
import java.util.List;

/**
 * A run's status message, rewritten in place as the run moves: its state, what it waits for, and
 * each step's state.
 */
final class RunBlocks {
  private RunBlocks() {}

  static String fallbackText(JsonNode view) {
    return "Run " + view.path("id").asText() + " of " + view.path("runbook_id").asText() + ": "
        + view.path("state").asText();
  }

  static List<LayoutBlock> blocks(JsonNode view) {
    StringBuilder sb = new StringBuilder("*Run* `").append(SlackText.escape(view.path("id").asText()))
        .append("` of `").append(SlackText.escape(view.path("runbook_id").asText())).append("` v")
        .append(view.path("runbook_version").asInt()).append(" requested by ")
        .append(SlackText.escape(view.path("requested_by").asText())).append(": *")
        .append(view.path("state").asText()).append("*");
    // What the run waits for now (an approval, failed preconditions, a decision after a failure),
    // so the message says what to do next and not only where the steps are.
    String waitingFor = view.path("waiting_for").asText("");
    if (!waitingFor.isEmpty() && !RunState.fromDb(view.path("state").asText()).isFinal()) {
      sb.append("\n*Waiting for:* ").append(SlackText.escape(waitingFor));
    }
    for (JsonNode step : view.path("steps")) {
      sb.append("\n").append(icon(step.path("state").asText())).append(" `")
          .append(SlackText.escape(step.path("id").asText())).append("` ")
          .append(SlackText.escape(step.path("title").asText())).append(" (").append(step.path("state").asText())
          .append(")");
    }
    String text = SlackText.cut(sb.toString(), 2900);
    return List.of(section(s -> s.text(markdownText(text))));
  }

  private static String icon(String state) {
    return switch (state) {
      case "succeeded" -> ":white_check_mark:";
      case "running", "approved" -> ":arrow_forward:";
      case "awaiting_approval" -> ":hourglass:";
      case "failed" -> ":x:";
      case "rolled_back" -> ":leftwards_arrow_with_hook:";
      case "skipped" -> ":fast_forward:";
      default -> ":white_circle:";
    };
  }
}
