package dev.rebound.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.agent.tool.ToolSpecification;
import io.vertx.core.Future;
import java.util.List;

/**
 * One tool the model may be offered. Read-only tools are named {@code search_…}, {@code find_…},
 * {@code get_…}; the two kinds of mutating intent are {@code propose_…} and
 * {@code request_step_…}, and neither executes anything. No tool is named run or execute.
 *
 * <p>{@link #call} is reached only after the {@link ToolDispatcher} checked that the tool was
 * offered, that the arguments parse, match {@link #schema()} and claim no approval, and audited
 * the call. <b>Threading:</b> called on the event loop; blocking work goes to a worker.
 * <b>Failures:</b> a failed future becomes an {@code ERROR} result naming the tool, the arguments
 * and the upstream error (masked), never a crash of the turn.
 */
interface AgentTool {

  String name();

  String description();

  ArgSchema schema();

  /** Whether the tool only reads (no proposal, no request). */
  boolean readOnly();

  /** Checks beyond the schema (e.g. a runbook's parameter rules); empty when the call may go on. */
  default List<String> check(JsonNode args) {
    return List.of();
  }

  Future<ToolOutcome> call(JsonNode args, TurnContext turn);

  default ToolSpecification specification() {
    return ToolSpecification.builder().name(name()).description(description()).parameters(schema().toOffered())
        .build();
  }
}
