package dev.rebound.agent;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Stored messages to langchain4j messages, and the two rules the OpenAI protocol imposes on a
 * history (langchain4j 1.19.0 repairs neither):
 *
 * <ol>
 *   <li>every {@code tool_call_id} of an assistant message is answered by a tool message before
 *       the next assistant or user message ({@link #repair} adds an {@code ERROR} result for a
 *       missing one and drops a result that answers nothing);
 *   <li>a window of the history never starts inside a tool exchange ({@link #window} cuts only
 *       before a user message).
 * </ol>
 */
final class Messages {
  static final String LOST_RESULT = "{\"status\":\"ERROR\",\"reason\":\"the result of this tool call was not recorded;"
      + " nothing is known about it\"}";

  private Messages() {}

  static List<ChatMessage> toChat(List<StoredMessage> messages) {
    List<ChatMessage> out = new ArrayList<>(messages.size());
    for (StoredMessage m : messages) {
      out.add(switch (m.role()) {
        case USER -> UserMessage.from(m.content());
        case ASSISTANT -> assistant(m);
        case TOOL -> ToolExecutionResultMessage.from(m.toolCallId().orElseThrow(), m.author(), m.content());
      });
    }
    return out;
  }

  private static AiMessage assistant(StoredMessage m) {
    List<ToolExecutionRequest> calls = m.toolCalls().stream()
        .map(c -> ToolExecutionRequest.builder().id(c.id()).name(c.name()).arguments(c.arguments()).build())
        .toList();
    AiMessage.Builder b = AiMessage.builder();
    if (!m.content().isEmpty() || calls.isEmpty()) {
      b.text(m.content());
    }
    if (!calls.isEmpty()) {
      b.toolExecutionRequests(calls);
    }
    return b.build();
  }

  /** The history with every tool call answered right after its assistant message. */
  static List<StoredMessage> repair(List<StoredMessage> messages) {
    List<StoredMessage> out = new ArrayList<>(messages.size());
    Map<String, StoredMessage.ToolCallData> open = new LinkedHashMap<>();
    Set<String> seen = new HashSet<>();
    String turn = "";
    for (StoredMessage m : messages) {
      if (m.role() == StoredMessage.Role.TOOL) {
        String id = m.toolCallId().orElseThrow();
        if (open.remove(id) != null) {
          out.add(m);
        }
        continue; // a result for no (or an already answered) call would be rejected: drop it
      }
      closeOpen(open, out, turn);
      if (m.role() == StoredMessage.Role.ASSISTANT) {
        for (StoredMessage.ToolCallData c : m.toolCalls()) {
          if (seen.add(c.id())) {
            open.put(c.id(), c);
          }
        }
      }
      turn = m.turnId();
      out.add(m);
    }
    closeOpen(open, out, turn);
    return out;
  }

  private static void closeOpen(Map<String, StoredMessage.ToolCallData> open, List<StoredMessage> out, String turn) {
    for (StoredMessage.ToolCallData c : open.values()) {
      out.add(StoredMessage.toolResult(c, ToolStatus.ERROR, LOST_RESULT, turn));
    }
    open.clear();
  }

  /**
   * The newest part of {@code messages} of at most {@code maxChars} characters that starts with a
   * user message (empty when even the last exchange is larger: the new question goes alone).
   */
  static List<StoredMessage> window(List<StoredMessage> messages, int maxChars) {
    int total = 0;
    int start = messages.size();
    for (int i = messages.size() - 1; i >= 0; i--) {
      total += messages.get(i).size();
      if (total > maxChars) {
        break;
      }
      if (messages.get(i).role() == StoredMessage.Role.USER) {
        start = i;
      }
    }
    return List.copyOf(messages.subList(start, messages.size()));
  }
}
