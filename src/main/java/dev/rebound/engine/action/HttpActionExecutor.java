package dev.rebound.engine.action;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.audit.Masker;
import dev.rebound.engine.target.Deadline;
import dev.rebound.engine.target.HttpReply;
import dev.rebound.engine.target.HttpTarget;
import dev.rebound.engine.target.TargetCallException;
import dev.rebound.engine.target.TargetJson;
import dev.rebound.runbook.Action;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Objects;

/**
 * {@code type: http}. Sends the request with {@code Idempotency-Key: <key>} (always, replacing a
 * header of that name in the runbook) and the body as JSON ({@code Content-Type:
 * application/json} unless the runbook sets one). Succeeds when the status is in
 * {@code expect_status} (default: any 2xx). Redirects are not followed. At most
 * {@link HttpTarget#DEFAULT_BODY_LIMIT} bytes of the reply are read; a longer reply still
 * succeeds on its status but contributes no body fields.
 *
 * <p>Failures: a status outside {@code expect_status} is retryable for 408, 429 and 5xx, not for
 * other 4xx; after a 5xx or an unexpected 2xx/3xx the outcome is unknown (the server may have
 * acted before failing), after a 4xx it is not (the request was refused). Connection refused is
 * retryable with nothing applied; a timeout is retryable with an unknown outcome.
 */
public final class HttpActionExecutor implements ActionExecutor {
  public static final String IDEMPOTENCY_HEADER = "Idempotency-Key";

  private final HttpTarget http;
  private final Masker masker;
  private final long bodyLimit;

  public HttpActionExecutor(HttpTarget http, Masker masker) {
    this(http, masker, HttpTarget.DEFAULT_BODY_LIMIT);
  }

  public HttpActionExecutor(HttpTarget http, Masker masker, long bodyLimit) {
    this.http = Objects.requireNonNull(http, "http");
    this.masker = Objects.requireNonNull(masker, "masker");
    this.bodyLimit = bodyLimit;
  }

  @Override
  public ActionOutcome execute(Action rendered, ActionContext ctx) throws ActionFailedException {
    if (!(rendered instanceof Action.Http action)) {
      throw new IllegalArgumentException("not an http action: " + rendered.type());
    }
    Deadline deadline = Deadline.after(ctx.timeout());
    String what = action.method() + " " + action.url();
    HttpReply reply;
    try {
      reply = http.exchange(request(action, ctx), deadline, bodyLimit);
    } catch (TargetCallException e) {
      throw ActionFailedException.from(masker, e);
    }

    ObjectNode fixed = Outputs.object().put("status", reply.status());
    ObjectNode output = reply.truncated()
        ? fixed
        : Outputs.merge(fixed, TargetJson.parseObject(reply.bodyText()).orElse(null));
    output = Outputs.masked(masker, output);

    List<Integer> expected = action.expectStatus();
    boolean ok = expected.isEmpty() ? reply.isSuccess() : expected.contains(reply.status());
    if (!ok) {
      int status = reply.status();
      boolean retryable = status >= 500 || status == 408 || status == 429;
      boolean unknown = status >= 500 || status < 400;
      String message = what + " returned " + status + ", expected "
          + (expected.isEmpty() ? "2xx" : expected.toString())
          + (reply.body().length > 0 ? ": " + Outputs.snippet(reply.bodyText(), 200) : "")
          + (unknown ? ActionFailedException.UNKNOWN_OUTCOME : "");
      throw new ActionFailedException(masker.mask(message), retryable, unknown, output);
    }
    String summary = what + " → " + reply.status() + " in " + Outputs.millis(reply.elapsed())
        + (reply.truncated() ? " (reply over " + bodyLimit + " bytes, not parsed)" : "");
    return new ActionOutcome(output, masker.mask(summary), deadline.elapsed());
  }

  private HttpRequest request(Action.Http action, ActionContext ctx) {
    HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.noBody();
    if (action.hasBody()) {
      try {
        body = HttpRequest.BodyPublishers.ofString(TargetJson.MAPPER.writeValueAsString(action.body()));
      } catch (JsonProcessingException e) {
        throw TargetCallException.permanent("body cannot be written as JSON: " + e.getOriginalMessage());
      }
    }
    HttpRequest.Builder builder = HttpTarget.request(action.method(), action.url(), action.headers(), body);
    boolean hasContentType = action.headers().keySet().stream().anyMatch(h -> h.equalsIgnoreCase("Content-Type"));
    if (action.hasBody() && !hasContentType) {
      builder.header("Content-Type", "application/json");
    }
    builder.setHeader(IDEMPOTENCY_HEADER, ctx.idempotencyKey());
    return builder.build();
  }
}
