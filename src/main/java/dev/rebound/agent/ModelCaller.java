package dev.rebound.agent;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.TokenUsage;
import dev.rebound.audit.Masker;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * One model call of the loop, with its retries, each attempt audited ({@code model.called}).
 * {@code chat()} blocks, so it runs on a worker; the wait is bounded by the model timeout (plus a
 * little for the client to give up first) and by the turn's deadline. Fails with
 * {@link ModelFailure}. Retries only what may help (5xx, 429, unreachable), after
 * {@code retryBackoff}, and only while the turn has time left; never a timeout or a 4xx.
 */
final class ModelCaller {
  private static final long GRACE_MS = 2_000;

  private final Vertx vertx;
  private final ChatModel model;
  private final String modelName;
  private final AgentAudit audit;
  private final AgentSettings settings;
  private final Masker masker;
  private final String promptVersion;

  ModelCaller(Vertx vertx, ChatModel model, String modelName, AgentAudit audit, AgentSettings settings, Masker masker,
      String promptVersion) {
    this.vertx = vertx;
    this.model = model;
    this.modelName = modelName;
    this.audit = audit;
    this.settings = settings;
    this.masker = masker;
    this.promptVersion = promptVersion;
  }

  Future<ChatResponse> call(ChatRequest request, TurnContext turn, int iteration) {
    return attempt(request, turn, iteration, 1);
  }

  private Future<ChatResponse> attempt(ChatRequest request, TurnContext turn, int iteration, int attempt) {
    long left = Duration.between(Instant.now(), turn.deadline()).toMillis();
    if (left <= 0) {
      return Future.failedFuture(ModelFailure.turnOver());
    }
    long wait = Math.min(settings.modelTimeout().toMillis() + GRACE_MS, left);
    long started = System.nanoTime();
    return vertx.executeBlocking(() -> model.chat(request), false)
        .timeout(wait, TimeUnit.MILLISECONDS)
        .transform(done -> {
          long ms = (System.nanoTime() - started) / 1_000_000;
          if (done.succeeded()) {
            ChatResponse r = done.result();
            return audit.modelCalled(turn, facts(iteration, attempt, ms, r, null))
                .transform(a -> Future.succeededFuture(r));
          }
          ModelFailure failure = done.cause() instanceof java.util.concurrent.TimeoutException
              ? ModelFailure.timeout(wait / 1000) : ModelFailure.of(done.cause(), masker);
          Future<?> audited = audit.modelCalled(turn, facts(iteration, attempt, ms, null, failure));
          boolean again = failure.retriable && attempt <= settings.loopRetries()
              && Duration.between(Instant.now(), turn.deadline()).toMillis() > settings.retryBackoff().toMillis();
          if (!again) {
            return audited.transform(a -> Future.<ChatResponse>failedFuture(failure));
          }
          return audited.transform(a -> vertx.timer(Math.max(1, settings.retryBackoff().toMillis()))
              .compose(t -> attempt(request, turn, iteration, attempt + 1)));
        });
  }

  private ObjectNode facts(int iteration, int attempt, long ms, ChatResponse r, ModelFailure failure) {
    ObjectNode o = AgentJson.object();
    o.put("model", modelName);
    o.put("prompt_version", promptVersion);
    o.put("iteration", iteration);
    o.put("attempt", attempt);
    o.put("latency_ms", ms);
    if (r != null) {
      TokenUsage u = r.tokenUsage();
      o.put("input_tokens", u == null || u.inputTokenCount() == null ? 0 : u.inputTokenCount());
      o.put("output_tokens", u == null || u.outputTokenCount() == null ? 0 : u.outputTokenCount());
      o.put("total_tokens", u == null || u.totalTokenCount() == null ? 0 : u.totalTokenCount());
      o.put("finish_reason", r.finishReason() == null ? "unknown" : r.finishReason().name().toLowerCase(java.util.Locale.ROOT));
      o.put("tool_calls", r.aiMessage() == null ? 0 : r.aiMessage().toolExecutionRequests().size());
      o.put("outcome", "ok");
    } else {
      o.put("outcome", "error");
      o.put("error", failure.code);
      o.put("message", failure.getMessage());
    }
    return o;
  }
}
