package dev.rebound.agent;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.audit.ActorType;
import dev.rebound.audit.AuditEntry;
import dev.rebound.audit.AuditEvent;
import dev.rebound.audit.AuditLog;
import dev.rebound.engine.Actor;
import io.vertx.core.Future;

/**
 * The agent's audit entries, all with the incident and the turn id:
 *
 * <ul>
 *   <li>{@code chat.message_received} (the person): who asked, and what (cut to 1000 characters);
 *   <li>{@code model.called} (agent): model, prompt version, latency, tokens, finish reason, how
 *       many tool calls it returned, or the error; one entry per HTTP attempt, retries included;
 *   <li>{@code tool.called} (agent), before anything is checked or done: tool, call id, the
 *       arguments as sent (cut), whether the tool was offered;
 *   <li>{@code tool.completed} or {@code tool.refused}: status, reason, run concerned, a summary;
 *   <li>{@code chat.replied} (agent): mode, and why it degraded, if it did.
 * </ul>
 *
 * Details are masked by the log itself. Appends are independent of the engine's transactions: a
 * proposal's own state change is audited by the engine in its transaction.
 */
final class AgentAudit {
  static final int MAX_ARGUMENT_CHARS = 4000;

  private final AuditLog log;

  AgentAudit(AuditLog log) {
    this.log = log;
  }

  Future<AuditEntry> messageReceived(TurnContext turn, String message) {
    ObjectNode d = details(turn);
    d.put("length", message.length());
    d.put("message", AgentJson.cut(message, 1000));
    return log.append(AuditEvent.of(ActorType.HUMAN, turn.caller(), "chat.message_received", "incident",
        turn.incidentId()).withIncident(turn.incidentId()).withDetails(d));
  }

  Future<AuditEntry> modelCalled(TurnContext turn, ObjectNode facts) {
    ObjectNode d = details(turn);
    d.setAll(facts);
    return append(turn, "model.called", "model", facts.path("model").asText("model"), d);
  }

  Future<AuditEntry> toolCalled(TurnContext turn, StoredMessage.ToolCallData call, boolean offered, String state) {
    ObjectNode d = details(turn);
    d.put("tool", call.name());
    d.put("tool_call_id", call.id());
    d.put("arguments", AgentJson.cut(call.arguments(), MAX_ARGUMENT_CHARS));
    d.put("offered", offered);
    d.put("state", state);
    return append(turn, "tool.called", "tool", subject(call.name()), d);
  }

  Future<AuditEntry> toolFinished(TurnContext turn, StoredMessage.ToolCallData call, ToolOutcome outcome) {
    ObjectNode d = details(turn);
    d.put("tool", call.name());
    d.put("tool_call_id", call.id());
    d.put("status", outcome.status().name());
    outcome.reason().ifPresent(r -> d.put("reason", r));
    outcome.runId().ifPresent(r -> d.put("run_id", r));
    d.put("result", AgentJson.cut(AgentJson.write(outcome.data()), 2000));
    String action = outcome.status() == ToolStatus.REFUSED ? "tool.refused" : "tool.completed";
    AuditEvent event = AuditEvent.of(ActorType.AGENT, Actor.AGENT_ID, action, "tool", subject(call.name()))
        .withIncident(turn.incidentId()).withDetails(d);
    return log.append(outcome.runId().map(event::withRun).orElse(event));
  }

  Future<AuditEntry> replied(TurnContext turn, String mode, java.util.Optional<ChatReply.Degraded> degraded,
      int toolCalls) {
    ObjectNode d = details(turn);
    d.put("mode", mode);
    d.put("tool_calls", toolCalls);
    degraded.ifPresent(g -> {
      d.put("degraded", g.code());
      d.put("message", g.message());
    });
    return append(turn, "chat.replied", "incident", turn.incidentId(), d);
  }

  private Future<AuditEntry> append(TurnContext turn, String action, String subjectType, String subjectId,
      ObjectNode details) {
    return log.append(AuditEvent.of(ActorType.AGENT, Actor.AGENT_ID, action, subjectType, subjectId)
        .withIncident(turn.incidentId()).withDetails(details));
  }

  private static ObjectNode details(TurnContext turn) {
    ObjectNode d = AgentJson.object();
    d.put("turn_id", turn.turnId());
    return d;
  }

  /** Model-chosen names become subject ids: bounded and never blank. */
  private static String subject(String name) {
    String s = name == null || name.isBlank() ? "(no name)" : name.replace("\0", "");
    return s.length() > 200 ? s.substring(0, 200) : s;
  }
}
