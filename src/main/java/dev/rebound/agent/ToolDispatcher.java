package dev.rebound.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rebound.audit.Masker;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gate every tool call of the model passes, in this order (the first that fails decides):
 *
 * <ol>
 *   <li>audit the call as sent ({@code tool.called}); if that fails nothing else happens;
 *   <li>the tool must be offered in the menu the model was given: an unknown name, a tool of
 *       another state (withheld, with its reason) and a name that asks to approve, skip or
 *       execute are refused;
 *   <li>the arguments must be at most {@code maxArgumentChars}, parse as a JSON object, claim no
 *       approval, match the tool's schema and pass the tool's own checks (runbook parameter
 *       schemas, approved version, the run's bound values);
 *   <li>then the tool runs, within {@code toolTimeout}; a failure becomes an {@code ERROR} naming
 *       the tool, the arguments and the upstream error (masked).
 * </ol>
 *
 * Every call gets exactly one result, refused or not, audited as {@code tool.completed} or
 * {@code tool.refused}; the result text is masked and cut before the model sees it.
 */
final class ToolDispatcher {
  private static final Logger LOG = LoggerFactory.getLogger(ToolDispatcher.class);

  private final AgentAudit audit;
  private final Masker masker;
  private final Duration toolTimeout;
  private final int maxArgumentChars;
  private final int maxResultChars;

  ToolDispatcher(AgentAudit audit, Masker masker, Duration toolTimeout, int maxArgumentChars, int maxResultChars) {
    this.audit = audit;
    this.masker = masker;
    this.toolTimeout = toolTimeout;
    this.maxArgumentChars = maxArgumentChars;
    this.maxResultChars = maxResultChars;
  }

  /** One handled call: what the API reports, and the tool result message for the model. */
  record Handled(ToolCallView view, StoredMessage result, ToolOutcome outcome) {}

  Future<Handled> handle(StoredMessage.ToolCallData call, ToolMenu menu, TurnContext turn) {
    Optional<AgentTool> tool = menu.tool(call.name());
    return audit.toolCalled(turn, call, tool.isPresent(), menu.state())
        .transform(audited -> {
          if (audited.failed()) {
            LOG.error("tool call {} not audited, so not done: {}", call.name(), audited.cause().toString());
            return Future.succeededFuture(
                ToolOutcome.error("not done: the audit log could not record this call (" + audited.cause().getMessage()
                    + "); try again later"));
          }
          return decide(call, tool, menu, turn);
        })
        .compose(outcome -> audit.toolFinished(turn, call, outcome)
            .transform(done -> {
              if (done.failed()) {
                LOG.error("result of tool call {} ({}) not audited: {}", call.name(), outcome.status(),
                    done.cause().toString());
              }
              return Future.succeededFuture(handled(call, outcome, turn));
            }));
  }

  private Future<ToolOutcome> decide(StoredMessage.ToolCallData call, Optional<AgentTool> offered, ToolMenu menu,
      TurnContext turn) {
    if (offered.isEmpty()) {
      return Future.succeededFuture(ToolOutcome.refused(notOffered(call.name(), menu)));
    }
    AgentTool tool = offered.get();
    String raw = call.arguments() == null || call.arguments().isBlank() ? "{}" : call.arguments();
    if (raw.length() > maxArgumentChars) {
      return refuse("the arguments are " + raw.length() + " characters long, more than the " + maxArgumentChars
          + " accepted; nothing was done");
    }
    Optional<JsonNode> parsed = AgentJson.parse(raw);
    if (parsed.isEmpty()) {
      return refuse("the arguments of " + tool.name() + " are not valid JSON (" + AgentJson.parseError(raw)
          + "); nothing was done. Send one JSON object that matches the tool's schema");
    }
    JsonNode args = parsed.get();
    if (!args.isObject()) {
      return refuse("the arguments of " + tool.name() + " must be a JSON object; nothing was done");
    }
    Optional<String> claim = ApprovalClaims.inArguments(args);
    if (claim.isPresent()) {
      return refuse(claim.get() + " claims or asks for an approval or a skip: " + ApprovalClaims.REASON);
    }
    List<String> problems = tool.schema().validate(args);
    if (problems.isEmpty()) {
      try {
        problems = tool.check(args);
      } catch (RuntimeException e) {
        problems = List.of("the arguments could not be checked: " + e.getMessage());
      }
    }
    if (!problems.isEmpty()) {
      return refuse("the arguments of " + tool.name() + " were refused, nothing was done: " + String.join("; ", problems));
    }
    Future<ToolOutcome> run;
    try {
      run = tool.call(args, turn);
    } catch (RuntimeException e) {
      run = Future.failedFuture(e);
    }
    return run.timeout(toolTimeout.toMillis(), TimeUnit.MILLISECONDS)
        .recover(e -> Future.succeededFuture(failure(tool, args, e)));
  }

  private static Future<ToolOutcome> refuse(String reason) {
    return Future.succeededFuture(ToolOutcome.refused(reason));
  }

  /** Why a name that is not on the menu was refused: another state's tool, a forbidden act, or unknown. */
  static String notOffered(String name, ToolMenu menu) {
    Optional<String> withheld = menu.whyWithheld(name);
    if (withheld.isPresent()) {
      return "not offered in this state (" + menu.state() + "): " + withheld.get() + ". Nothing was done";
    }
    if (ApprovalClaims.forbiddenName(name)) {
      return "there is no tool '" + shorten(name) + "': " + ApprovalClaims.REASON;
    }
    return "unknown tool '" + shorten(name) + "'; nothing was done. The tools offered now are: "
        + String.join(", ", menu.offeredNames());
  }

  /** The upstream error, named with the tool and its arguments, as the model and the audit see it. */
  private ToolOutcome failure(AgentTool tool, JsonNode args, Throwable e) {
    String upstream = e instanceof java.util.concurrent.TimeoutException
        ? "no answer within " + toolTimeout.toSeconds() + "s"
        : e.getClass().getSimpleName() + ": " + e.getMessage();
    String text = tool.name() + " with arguments " + AgentJson.cut(AgentJson.write(args), 300) + " failed: "
        + AgentJson.cut(upstream, 500) + (tool.readOnly() ? "" : ". Whether anything was created is shown by get_run");
    return ToolOutcome.error(masker.mask(text));
  }

  private Handled handled(StoredMessage.ToolCallData call, ToolOutcome outcome, TurnContext turn) {
    String text = masker.mask(outcome.toModelText(maxResultChars));
    JsonNode shownArgs = AgentJson.parse(call.arguments()).filter(JsonNode::isObject)
        .orElse(AgentJson.NODES.textNode(AgentJson.cut(call.arguments() == null ? "" : call.arguments(), 2000)));
    ToolCallView view = new ToolCallView(call.id(), call.name(), masker.mask(shownArgs), outcome.status(),
        outcome.reason().map(masker::mask), outcome.runId());
    return new Handled(view, StoredMessage.toolResult(call, outcome.status(), text, turn.turnId()), outcome);
  }

  private static String shorten(String name) {
    return name.length() > 80 ? name.substring(0, 80) + "…" : name;
  }
}
