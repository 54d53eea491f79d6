package dev.rebound.agent;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;

/**
 * One stored message of an incident's conversation, as the API shows it; {@code guided}, the
 * suggestions a guided answer carried, is null for every other message.
 */
public record ConversationEntry(String role, String author, String content, ArrayNode toolCalls, String toolCallId,
    String status, String turnId, ObjectNode guided) {

  static ConversationEntry of(StoredMessage m) {
    ArrayNode calls = AgentJson.NODES.arrayNode();
    for (StoredMessage.ToolCallData c : m.toolCalls()) {
      ObjectNode o = calls.addObject();
      o.put("id", c.id());
      o.put("name", c.name());
      o.put("arguments", c.arguments());
    }
    return new ConversationEntry(m.role().name().toLowerCase(Locale.ROOT), m.author(), m.content(), calls,
        m.toolCallId().orElse(null), m.status().map(Enum::name).orElse(null), m.turnId(), m.guided().orElse(null));
  }

  public ObjectNode toJson() {
    ObjectNode o = AgentJson.object();
    o.put("role", role);
    o.put("author", author);
    o.put("content", content);
    o.set("tool_calls", toolCalls.deepCopy());
    o.put("tool_call_id", toolCallId);
    o.put("status", status);
    o.put("turn_id", turnId);
    o.set("guided", guided == null ? null : guided.deepCopy());
    return o;
  }
}
