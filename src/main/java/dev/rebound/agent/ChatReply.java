package dev.rebound.agent;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;

/**
 * The answer to one chat message.
 *
 * @param mode {@code model} when the model answered, {@code guided} when Rebound answered
 *     without one (none configured, or the model failed: then {@code degraded} says why)
 * @param toolCalls every tool call the model made in this turn, in order, with how it ended
 * @param pendingApprovals what now waits for a person, with what each approval binds
 * @param guided the guided suggestions (always in guided mode, and when a turn stopped early)
 * @param usage model calls and tokens this turn used
 * @param promptVersion the system prompt's version ({@code system@1+<sha>}); empty in guided mode
 */
public record ChatReply(
    String incidentId,
    String mode,
    String reply,
    Optional<Degraded> degraded,
    List<ToolCallView> toolCalls,
    List<PendingApproval> pendingApprovals,
    Optional<GuidedSuggestions> guided,
    Usage usage,
    Optional<String> promptVersion) {

  public static final String MODE_MODEL = "model";
  public static final String MODE_GUIDED = "guided";

  public ChatReply {
    toolCalls = List.copyOf(toolCalls);
    pendingApprovals = List.copyOf(pendingApprovals);
  }

  /**
   * Why the model did not (fully) answer.
   *
   * @param code {@code model_unauthorized}, {@code model_rate_limited}, {@code model_unavailable},
   *     {@code model_timeout}, {@code model_rejected_request}, {@code model_bad_response}, {@code model_error},
   *     {@code iteration_limit}, {@code token_budget}, {@code turn_timeout} or
   *     {@code prompt_unavailable}
   */
  public record Degraded(String code, String message) {}

  /** What the turn cost. */
  public record Usage(int modelCalls, int inputTokens, int outputTokens) {
    public static final Usage NONE = new Usage(0, 0, 0);
  }

  public ObjectNode toJson() {
    ObjectNode o = AgentJson.object();
    o.put("incident_id", incidentId);
    o.put("mode", mode);
    o.put("reply", reply);
    degraded.ifPresentOrElse(d -> {
      ObjectNode n = o.putObject("degraded");
      n.put("code", d.code());
      n.put("message", d.message());
    }, () -> o.putNull("degraded"));
    ArrayNode calls = o.putArray("tool_calls");
    toolCalls.forEach(c -> calls.add(c.toJson()));
    ArrayNode pending = o.putArray("pending_approvals");
    pendingApprovals.forEach(p -> pending.add(p.toJson()));
    guided.ifPresentOrElse(g -> o.set("guided", g.toJson()), () -> o.putNull("guided"));
    ObjectNode u = o.putObject("usage");
    u.put("model_calls", usage.modelCalls());
    u.put("input_tokens", usage.inputTokens());
    u.put("output_tokens", usage.outputTokens());
    AgentJson.putOptional(o, "prompt_version", promptVersion);
    return o;
  }
}
