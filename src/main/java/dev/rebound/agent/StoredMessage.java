package dev.rebound.agent;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One message of an incident's conversation as stored ({@code agent_messages}) and sent to the
 * model again: the engineer's text, the model's text and tool calls, or the result of one tool
 * call. Independent of langchain4j ({@link Messages} converts).
 *
 * @param guided the suggestions a guided answer carried ({@link GuidedSuggestions#toJson}), so the
 *     conversation read again shows them as they were; never sent to the model
 */
record StoredMessage(
    Role role,
    String author,
    String content,
    List<ToolCallData> toolCalls,
    Optional<String> toolCallId,
    Optional<ToolStatus> status,
    String turnId,
    Optional<ObjectNode> guided) {

  enum Role { USER, ASSISTANT, TOOL }

  /** A tool call as the model sent it; {@code arguments} verbatim, valid JSON or not. */
  record ToolCallData(String id, String name, String arguments) {}

  StoredMessage {
    Objects.requireNonNull(role, "role");
    author = author == null ? "" : author;
    content = content == null ? "" : content;
    toolCalls = List.copyOf(toolCalls);
    toolCallId = toolCallId == null ? Optional.empty() : toolCallId;
    status = status == null ? Optional.empty() : status;
    guided = guided == null ? Optional.empty() : guided;
    if ((role == Role.TOOL) != toolCallId.isPresent()) {
      throw new IllegalArgumentException("a tool result, and only a tool result, answers a tool call id");
    }
    if (guided.isPresent() && role != Role.ASSISTANT) {
      throw new IllegalArgumentException("only an answer carries guided suggestions");
    }
  }

  static StoredMessage user(String author, String text, String turnId) {
    return new StoredMessage(Role.USER, author, text, List.of(), Optional.empty(), Optional.empty(), turnId,
        Optional.empty());
  }

  static StoredMessage assistant(String model, String text, List<ToolCallData> calls, String turnId) {
    return new StoredMessage(Role.ASSISTANT, model, text, calls, Optional.empty(), Optional.empty(), turnId,
        Optional.empty());
  }

  /** Rebound's own answer (guided mode, or after the model failed) with the suggestions it gave. */
  static StoredMessage guidedAnswer(String author, String text, GuidedSuggestions suggestions, String turnId) {
    return new StoredMessage(Role.ASSISTANT, author, text, List.of(), Optional.empty(), Optional.empty(), turnId,
        Optional.of(suggestions.toJson()));
  }

  static StoredMessage toolResult(ToolCallData call, ToolStatus status, String content, String turnId) {
    return new StoredMessage(Role.TOOL, call.name(), content, List.of(), Optional.of(call.id()), Optional.of(status),
        turnId, Optional.empty());
  }

  int size() {
    int n = content.length();
    for (ToolCallData c : toolCalls) {
      n += c.name().length() + (c.arguments() == null ? 0 : c.arguments().length());
    }
    return n;
  }
}
