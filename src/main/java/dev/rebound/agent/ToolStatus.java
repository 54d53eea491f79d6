package dev.rebound.agent;

/**
 * How a tool call ended, as the model reads it in the tool result and the API reports it.
 * {@code APPROVAL_REQUIRED} means something now waits for a person (a proposed run, a step
 * approval request) and nothing was executed.
 */
public enum ToolStatus {
  OK,
  APPROVAL_REQUIRED,
  REFUSED,
  ERROR
}
