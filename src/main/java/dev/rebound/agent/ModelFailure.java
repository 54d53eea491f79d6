package dev.rebound.agent;

import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.UnresolvedModelServerException;
import dev.rebound.audit.Masker;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.util.concurrent.TimeoutException;

/**
 * Why a model call failed, classified for the person (a clear message), the audit log (a code)
 * and the loop (whether one more attempt may help). Messages are masked: an endpoint's error
 * body may echo part of the API key.
 */
final class ModelFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  final String code;
  final boolean retriable;

  private ModelFailure(String code, String message, boolean retriable) {
    super(message, null, false, false);
    this.code = code;
    this.retriable = retriable;
  }

  static ModelFailure timeout(long seconds) {
    return new ModelFailure("model_timeout", "the model did not answer within " + seconds + "s", false);
  }

  /** langchain4j's mapped exceptions, for when the HTTP status itself is not in the chain. */
  private static Integer statusOf(Throwable t) {
    if (t instanceof dev.langchain4j.exception.AuthenticationException) {
      return 401;
    }
    if (t instanceof dev.langchain4j.exception.RateLimitException) {
      return 429;
    }
    if (t instanceof dev.langchain4j.exception.InternalServerException) {
      return 500;
    }
    if (t instanceof dev.langchain4j.exception.ModelNotFoundException) {
      return 404;
    }
    if (t instanceof dev.langchain4j.exception.InvalidRequestException) {
      return 400;
    }
    return null;
  }

  /**
   * What was wrong with an answer (HTTP 200) the client could not read, in words for the person
   * rather than the parser's; null when the failure was something else. An HTML page, a stream
   * of server-sent events or an empty body fail in Jackson; a completion without a message fails
   * in langchain4j's mapping of it.
   */
  private static String unreadableAnswer(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof com.fasterxml.jackson.core.JsonProcessingException j) {
        String parser = String.valueOf(j.getOriginalMessage());
        return parser.startsWith("Unrecognized token 'data'") ? "it answered as a stream of server-sent events"
            : parser.startsWith("No content to map") ? "the answer was empty"
            : parser.startsWith("Unexpected character ('<'") ? "it answered with HTML, not JSON (a proxy or a web page?)"
            : "it is not JSON (" + AgentJson.cut(parser, 200) + ")";
      }
      StackTraceElement[] at = t.getStackTrace();
      if ((t instanceof NullPointerException || t instanceof IndexOutOfBoundsException) && at.length > 0
          && at[0].getClassName().startsWith("dev.langchain4j.model.openai")) {
        return "it lacks a part every chat completion has (" + AgentJson.cut(String.valueOf(t.getMessage()), 200) + ")";
      }
    }
    return null;
  }

  static ModelFailure turnOver() {
    return new ModelFailure("turn_timeout", "the turn ran out of time before the model could be asked again", false);
  }

  static ModelFailure of(Throwable error, Masker masker) {
    if (error instanceof ModelFailure f) {
      return f;
    }
    Integer status = null;
    boolean timeout = false;
    boolean unreachable = false;
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof HttpException h && status == null) {
        status = h.statusCode();
      }
      timeout |= t instanceof dev.langchain4j.exception.TimeoutException || t instanceof HttpTimeoutException
          || t instanceof TimeoutException || t instanceof java.net.SocketTimeoutException;
      unreachable |= t instanceof ConnectException || t instanceof UnresolvedModelServerException
          || t instanceof java.nio.channels.UnresolvedAddressException;
    }
    for (Throwable t = error; t != null && status == null; t = t.getCause() == t ? null : t.getCause()) {
      status = statusOf(t); // the HTTP status itself was not in the chain: the class says it
    }
    String upstream = AgentJson.cut(masker.mask(String.valueOf(error.getMessage())), 300);
    if (status != null) {
      if (status == 401 || status == 403) {
        return new ModelFailure("model_unauthorized", "the model endpoint refused the credentials (HTTP " + status
            + "): check REBOUND_OPENAI_API_KEY. Upstream said: " + upstream, false);
      }
      if (status == 404) {
        return new ModelFailure("model_rejected_request", "the model endpoint answered HTTP 404: check that"
            + " REBOUND_OPENAI_BASE_URL ends in /v1 and REBOUND_MODEL names a model it serves. Upstream said: "
            + upstream, false);
      }
      if (status == 408) {
        return new ModelFailure("model_timeout", "the model endpoint timed out (HTTP 408)", false);
      }
      if (status == 429) {
        return new ModelFailure("model_rate_limited", "the model endpoint is rate limiting (HTTP 429). Upstream"
            + " said: " + upstream, true);
      }
      if (status >= 500) {
        return new ModelFailure("model_unavailable", "the model endpoint failed (HTTP " + status + "). Upstream"
            + " said: " + upstream, true);
      }
      return new ModelFailure("model_rejected_request", "the model endpoint rejected the request (HTTP " + status
          + "). Upstream said: " + upstream, false);
    }
    if (timeout) {
      return new ModelFailure("model_timeout", "the model did not answer in time (" + upstream + ")", false);
    }
    if (unreachable) {
      return new ModelFailure("model_unavailable", "the model endpoint cannot be reached (" + upstream + ")", true);
    }
    String unreadable = unreadableAnswer(error);
    if (unreadable != null) {
      return new ModelFailure("model_bad_response", "the model endpoint's answer is not a chat completion: "
          + masker.mask(unreadable) + ". Check that REBOUND_OPENAI_BASE_URL is the API root of an OpenAI-compatible"
          + " server (ending in /v1) and that it answers without streaming", false);
    }
    return new ModelFailure("model_error", "the model call failed: " + error.getClass().getSimpleName() + ": "
        + upstream, false);
  }
}
