package dev.rebound.agent;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;

/**
 * How one tool call ended: the status, the data the model reads, and for the API the reason,
 * the run concerned and what now waits for a person.
 */
record ToolOutcome(
    ToolStatus status,
    ObjectNode data,
    Optional<String> reason,
    Optional<String> runId,
    List<PendingApproval> pending) {

  ToolOutcome {
    data = data == null ? AgentJson.object() : data.deepCopy();
    pending = List.copyOf(pending);
  }

  static ToolOutcome ok(ObjectNode data) {
    return new ToolOutcome(ToolStatus.OK, data, Optional.empty(), Optional.empty(), List.of());
  }

  static ToolOutcome refused(String reason) {
    return new ToolOutcome(ToolStatus.REFUSED, null, Optional.of(reason), Optional.empty(), List.of());
  }

  static ToolOutcome error(String reason) {
    return new ToolOutcome(ToolStatus.ERROR, null, Optional.of(reason), Optional.empty(), List.of());
  }

  static ToolOutcome approvalRequired(ObjectNode data, String runId, List<PendingApproval> pending) {
    return new ToolOutcome(ToolStatus.APPROVAL_REQUIRED, data, Optional.empty(), Optional.of(runId), pending);
  }

  /**
   * The tool result message: {@code {"status": ..., "reason": ..., ...data}}, cut to
   * {@code maxChars} (a cut result is replaced by a short one saying so, never sent as broken JSON).
   */
  String toModelText(int maxChars) {
    ObjectNode o = AgentJson.object();
    o.put("status", status.name());
    reason.ifPresent(r -> o.put("reason", r));
    o.setAll(data.deepCopy());
    String text = AgentJson.write(o);
    if (text.length() <= maxChars) {
      return text;
    }
    ObjectNode cut = AgentJson.object();
    cut.put("status", status.name());
    reason.ifPresent(r -> cut.put("reason", r));
    cut.put("note", "the result was " + text.length() + " characters, more than the " + maxChars
        + " allowed; ask for less (a smaller k, a narrower query)");
    cut.put("partial", text.substring(0, Math.max(0, maxChars - 400)));
    return AgentJson.write(cut);
  }
}
