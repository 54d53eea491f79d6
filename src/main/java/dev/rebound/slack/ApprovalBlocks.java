package dev.rebound.slack;

import static com.slack.api.model.block.Blocks.actions;
import static com.slack.api.model.block.Blocks.context;
import static com.slack.api.model.block.Blocks.section;
import static com.slack.api.model.block.composition.BlockCompositions.markdownText;
import static com.slack.api.model.block.composition.BlockCompositions.plainText;
import static com.slack.api.model.block.element.BlockElements.button;

import com.fasterxml.jackson.databind.JsonNode;
import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.block.composition.ConfirmationDialogObject;
import dev.rebound.config.SlackPolicy;
import java.util.ArrayList;
import java.util.List;

/**
 * The approval request for one attempt of one step, from the engine's {@code awaiting} view. The
 * buttons carry exactly what the console's approval binds: run, step, attempt and the hash of the
 * rendered action shown here; the engine checks that hash again, so a button pressed after the
 * step changed approves nothing. Steps whose risk the policy sends to the console get a link
 * instead of buttons.
 */
final class ApprovalBlocks {
  static final String APPROVE = "rebound_approve";
  static final String REJECT = "rebound_reject";

  private ApprovalBlocks() {}

  static String fallbackText(String runId, JsonNode awaiting) {
    return "Approval needed: step " + awaiting.path("step_id").asText() + " of run " + runId;
  }

  /** What replaces the request once the step attempt is approved, wherever (Slack, console, API). */
  static String approvedText(String stepId, String actionHash, List<String> approvers) {
    return ":ballot_box_with_check: Step `" + SlackText.escape(stepId) + "` (action hash `"
        + SlackText.escape(actionHash) + "`) approved by " + String.join(", ",
        approvers.stream().map(SlackText::escape).toList());
  }

  /** What replaces the request once the step attempt is rejected, wherever. */
  static String rejectedText(String stepId, String by) {
    return ":no_entry: Step `" + SlackText.escape(stepId) + "` rejected by " + SlackText.escape(by);
  }

  /** The request with its buttons replaced by what was decided. */
  static List<LayoutBlock> decided(String text) {
    return List.of(section(s -> s.text(markdownText(text))));
  }

  static List<LayoutBlock> blocks(String runId, String title, JsonNode awaiting, SlackPolicy policy) {
    String step = awaiting.path("step_id").asText();
    String risk = awaiting.path("risk").asText();
    String hash = awaiting.path("action_hash").asText();
    int attempt = awaiting.path("attempt").asInt();
    List<LayoutBlock> blocks = new ArrayList<>();
    List<String> roles = new ArrayList<>();
    awaiting.path("roles").forEach(r -> roles.add(r.asText()));
    blocks.add(section(s -> s.text(markdownText("*Approval needed:* " + SlackText.escape(title) + "\nRun `"
        + SlackText.escape(runId) + "`, step `" + SlackText.escape(step) + "` (attempt " + attempt + "), risk *"
        + SlackText.escape(risk) + "*: " + approvals(awaiting.path("approvals_required").asInt()) + " from "
        + SlackText.escape(String.join(", ", roles))
        + (awaiting.path("distinct_from_requester").asBoolean() ? ", not the requester" : "")))));
    List<String> targets = new ArrayList<>();
    awaiting.path("targets").forEach(t -> targets.add("`" + SlackText.escape(t.asText()) + "`"));
    blocks.add(section(s -> s.text(markdownText(SlackText.cut("*Action:* ```" + SlackText.escape(
        awaiting.path("action").toString()) + "```\n*Targets:* " + (targets.isEmpty() ? "none" : String.join(", ",
        targets)) + "\n*Action hash:* `" + SlackText.escape(hash) + "`", 2900)))));
    if (policy.requiresConsole(risk)) {
      String url = policy.consoleUrl().orElse("") + "/#/runs/" + runId;
      blocks.add(actions(a -> a.blockId("rebound_approval").elements(List.of(button(b -> b
          .actionId("rebound_open_console").text(plainText("Approve in the console")).url(url))))));
      blocks.add(context(c -> c.elements(List.of(markdownText("Steps of risk " + SlackText.escape(risk)
          + " are approved in the console only (slack.console_required_for in rebound.yaml)")))));
      return blocks;
    }
    String value = runId + " " + step + " " + attempt + " " + hash;
    blocks.add(actions(a -> a.blockId("rebound_approval").elements(List.of(
        button(b -> b.actionId(APPROVE).style("primary").text(plainText("Approve")).value(value)
            .confirm(confirm("Approve step " + step + "?", "This runs the action shown (hash " + shortHash(hash)
                + ") against " + (targets.isEmpty() ? "its target" : String.join(", ", targets)) + ".", "Approve"))),
        button(b -> b.actionId(REJECT).style("danger").text(plainText("Reject")).value(value)
            .confirm(confirm("Reject step " + step + "?", "The step will not run; the run waits for a decision.",
                "Reject")))))));
    return blocks;
  }

  private static ConfirmationDialogObject confirm(String title, String text, String yes) {
    return ConfirmationDialogObject.builder().title(plainText(SlackText.cut(title, 100)))
        .text(markdownText(SlackText.cut(text, 300))).confirm(plainText(yes)).deny(plainText("Cancel")).build();
  }

  private static String approvals(int n) {
    return n + (n == 1 ? " approval" : " approvals");
  }

  private static String shortHash(String hash) {
    return hash.length() > 12 ? hash.substring(0, 12) : hash;
  }
}
