package dev.rebound.http;

import dev.rebound.retrieval.SearchQuery;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;

/**
 * Answers the requests the HTTP decoder rejects before any route sees them (a request line or
 * headers over the server's limits, a malformed request) with the same JSON error as every other
 * failure, instead of Vert.x's bare status, and closes the connection, whose state is unknown.
 */
final class InvalidRequests implements Handler<HttpServerRequest> {
  /**
   * The longest request line accepted, in bytes. A search query at its limit ({@value
   * SearchQuery#MAX_CHARS} characters) percent-encoded as UTF-8 takes up to 9 bytes a character:
   * such a request must reach the route, whose validation says what is wrong with it, rather
   * than stop at the decoder's default of 4,096 bytes.
   */
  static final int MAX_REQUEST_LINE = 32 * 1024;

  @Override
  public void handle(HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    ErrorResponse error;
    if (cause instanceof TooLongHttpLineException) {
      error = new ErrorResponse(414, "uri_too_long", "the request line is longer than " + MAX_REQUEST_LINE
          + " bytes; a search query takes at most " + SearchQuery.MAX_CHARS + " characters", List.of());
    } else if (cause instanceof TooLongHttpHeaderException) {
      error = new ErrorResponse(431, "headers_too_large", "the request headers are larger than the server accepts",
          List.of());
    } else {
      error = new ErrorResponse(400, "bad_request", "malformed HTTP request"
          + (cause == null || cause.getMessage() == null ? "" : ": " + cause.getMessage()), List.of());
    }
    request.response()
        .setStatusCode(error.status())
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .putHeader(HttpHeaders.CONNECTION, "close")
        .end(error.toJson().encode());
  }
}
