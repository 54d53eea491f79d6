package dev.rebound.agent;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One message of an incident's conversation as stored ({@code agent_messages}) and sent to the
 * model again: the engineer's text, the model's text and tool calls, or the result of one tool
 * call. Independent of langchain4j ({@link Messages} converts).
 */
record StoredMessage(
    Role role,
    String author,
    String content,
    List<ToolCallData> toolCalls,
    Optional<String> toolCallId,
    Optional<ToolStatus> status,
    String turnId) {

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
    if ((role == Role.TOOL) != toolCallId.isPresent()) {
      throw new IllegalArgumentException("a tool result, and only a tool result, answers a tool call id");
    }
  }

  static StoredMessage user(String author, String text, String turnId) {
    return new StoredMessage(Role.USER, author, text, List.of(), Optional.empty(), Optional.empty(), turnId);
  }

  static StoredMessage assistant(String model, String text, List<ToolCallData> calls, String turnId) {
    return new StoredMessage(Role.ASSISTANT, model, text, calls, Optional.empty(), Optional.empty(), turnId);
  }

  static StoredMessage toolResult(ToolCallData call, ToolStatus status, String content, String turnId) {
    return new StoredMessage(Role.TOOL, call.name(), content, List.of(), Optional.of(call.id()), Optional.of(status),
        turnId);
  }

  int size() {
    int n = content.length();
    for (ToolCallData c : toolCalls) {
      n += c.name().length() + (c.arguments() == null ? 0 : c.arguments().length());
    }
    return n;
  }
}
