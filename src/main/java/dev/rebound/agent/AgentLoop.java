package dev.rebound.agent;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.TokenUsage;
import dev.rebound.incident.Incident;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One turn of the manual tool loop. Before every model call the menu is rebuilt for the
 * incident's current state (a proposal made in this turn turns the propose tools into the new
 * run's step tools); each tool call in a response goes through the {@link ToolDispatcher} in
 * order, and its result is added before the next model call, so every {@code tool_call_id} is
 * answered (refused or not) and the history stays valid for the next turn.
 *
 * <p>Stops, in this order of checks before each model call: after {@code maxToolIterations}
 * responses with tool calls, when the tokens reported so far reach {@code tokenBudget}, or at the
 * turn's deadline. A model failure ends the turn too. Every stop returns what was done plus a
 * {@link ChatReply.Degraded} reason; the service adds guided suggestions. Nothing here throws past
 * the returned future.
 */
final class AgentLoop {
  private final AgentSettings settings;
  private final ModelCaller model;
  private final ToolDispatcher dispatcher;
  private final MenuBuilder menus;
  private final Prompt prompt;
  private final String modelName;

  AgentLoop(AgentSettings settings, ModelCaller model, ToolDispatcher dispatcher, MenuBuilder menus,
      Prompt prompt, String modelName) {
    this.settings = settings;
    this.model = model;
    this.dispatcher = dispatcher;
    this.menus = menus;
    this.prompt = prompt;
    this.modelName = modelName;
  }

  /** What a turn did. {@code messages} are the turn's new messages, the user's first. */
  record Result(List<StoredMessage> messages, String reply, Optional<ChatReply.Degraded> degraded,
      List<ToolCallView> calls, List<PendingApproval> pending, ChatReply.Usage usage) {}

  /** The mutable state of one turn; touched only by the turn's own future chain, one step at a time. */
  private static final class State {
    final TurnContext turn;
    final String system;
    final List<ChatMessage> history;
    final List<StoredMessage> added = new ArrayList<>();
    final List<ToolCallView> calls = new ArrayList<>();
    final Map<String, PendingApproval> pending = new LinkedHashMap<>();
    final Set<String> callIds = new HashSet<>();
    int iterations;
    int modelCalls;
    int inputTokens;
    int outputTokens;

    State(TurnContext turn, String system, List<ChatMessage> history) {
      this.turn = turn;
      this.system = system;
      this.history = history;
    }

    int tokens() {
      return inputTokens + outputTokens;
    }
  }

  Future<Result> run(TurnContext turn, Incident incident, List<StoredMessage> earlier, String userText) {
    List<StoredMessage> window = Messages.window(Messages.repair(earlier), settings.maxHistoryChars());
    State st = new State(turn, system(incident), Messages.toChat(window));
    st.added.add(StoredMessage.user(turn.caller(), userText, turn.turnId()));
    return step(st);
  }

  private Future<Result> step(State st) {
    if (st.iterations >= settings.maxToolIterations()) {
      return stop(st, "iteration_limit", "the model asked for tools " + st.iterations + " times in this turn, the"
          + " limit; what it did so far is listed below");
    }
    if (st.tokens() >= settings.tokenBudget()) {
      return stop(st, "token_budget", "this turn used " + st.tokens() + " tokens, the budget is "
          + settings.tokenBudget());
    }
    if (Instant.now().isAfter(st.turn.deadline())) {
      return stop(st, "turn_timeout", "the turn ran out of time (" + settings.turnTimeout().toSeconds() + "s)");
    }
    return menus.build(st.turn.incidentId()).transform(built -> {
      if (built.failed()) {
        return stop(st, "state_unavailable", "the incident's tools and run state could not be read ("
            + AgentJson.cut(String.valueOf(built.cause().getMessage()), 300) + ")");
      }
      ToolMenu menu = built.result();
      List<ChatMessage> messages = new ArrayList<>();
      messages.add(SystemMessage.from(st.system));
      messages.addAll(st.history);
      messages.addAll(Messages.toChat(st.added));
      ChatRequest request = ChatRequest.builder().messages(messages).toolSpecifications(menu.specifications())
          .build();
      st.modelCalls++;
      return model.call(request, st.turn, st.iterations + 1).transform(called -> {
        if (called.failed()) {
          ModelFailure f = called.cause() instanceof ModelFailure m ? m
              : ModelFailure.of(called.cause(), dev.rebound.audit.Masker.none());
          return stop(st, f.code, f.getMessage());
        }
        return answered(st, menu, called.result());
      });
    });
  }

  private Future<Result> answered(State st, ToolMenu menu, ChatResponse response) {
    TokenUsage usage = response.tokenUsage();
    if (usage != null) {
      st.inputTokens += usage.inputTokenCount() == null ? 0 : usage.inputTokenCount();
      st.outputTokens += usage.outputTokenCount() == null ? 0 : usage.outputTokenCount();
    }
    AiMessage ai = response.aiMessage();
    String text = AgentJson.cut(ai == null || ai.text() == null ? "" : ai.text(), settings.maxReplyChars());
    if (ai == null || !ai.hasToolExecutionRequests()) {
      st.added.add(StoredMessage.assistant(modelName, text, List.of(), st.turn.turnId()));
      return Future.succeededFuture(result(st, text.isBlank() ? "(the model returned no text)" : text,
          Optional.empty()));
    }
    List<StoredMessage.ToolCallData> calls = new ArrayList<>();
    for (ToolExecutionRequest r : ai.toolExecutionRequests()) {
      calls.add(new StoredMessage.ToolCallData(uniqueId(st, r.id()), r.name() == null ? "" : r.name(),
          r.arguments() == null ? "" : r.arguments()));
    }
    st.added.add(StoredMessage.assistant(modelName, text, calls, st.turn.turnId()));
    st.iterations++;
    Future<Void> chain = Future.succeededFuture();
    for (StoredMessage.ToolCallData call : calls) {
      chain = chain.compose(v -> dispatcher.handle(call, menu, st.turn).map(h -> {
        st.added.add(h.result());
        st.calls.add(h.view());
        for (PendingApproval p : h.outcome().pending()) {
          st.pending.put(p.runId() + "/" + p.stepId().orElse(""), p);
        }
        return null;
      }));
    }
    return chain.compose(v -> step(st));
  }

  /**
   * The id the tool call is stored and answered under: the model's, unless it is missing or
   * repeats one of this turn (the protocol needs one result per distinct id).
   */
  private static String uniqueId(State st, String id) {
    String base = id == null || id.isBlank() ? "call_" + st.turn.turnId() : id;
    String candidate = base;
    for (int n = 2; !st.callIds.add(candidate); n++) {
      candidate = base + "_" + n;
    }
    return candidate;
  }

  private Future<Result> stop(State st, String code, String message) {
    String reply = "I could not finish this answer: " + message + ".";
    return Future.succeededFuture(result(st, reply, Optional.of(new ChatReply.Degraded(code, message))));
  }

  private Result result(State st, String reply, Optional<ChatReply.Degraded> degraded) {
    return new Result(List.copyOf(st.added), reply, degraded, List.copyOf(st.calls),
        List.copyOf(st.pending.values()), new ChatReply.Usage(st.modelCalls, st.inputTokens, st.outputTokens));
  }

  /** The system prompt plus this incident's facts; its people-written text quoted as data. */
  private String system(Incident incident) {
    StringBuilder sb = new StringBuilder(prompt.render(incident.id()));
    sb.append("\n\n## This incident\n");
    sb.append("id: ").append(incident.id()).append('\n');
    sb.append("severity: ").append(incident.severity().wireName()).append(", status: ")
        .append(incident.status().wireName()).append('\n');
    sb.append("assets: ").append(String.join(", ", incident.assets())).append('\n');
    sb.append("symptoms: ").append(String.join(", ", incident.symptoms())).append('\n');
    sb.append("title and description, as reported:\n");
    sb.append(DataQuote.quote("incident " + incident.id() + " (" + incident.source() + ")",
        incident.title() + "\n\n" + AgentJson.cut(incident.body(), 4000)));
    return sb.toString();
  }
}
