package dev.rebound.demo;

import io.vertx.core.json.JsonObject;

/**
 * An HTTP error of the demo API, answered as {@code {"error": code, "message": …}} plus any
 * {@code extra} fields (e.g. {@code "dates"} of a refused backfill). The code names the
 * contract's error ({@code not_found}, {@code version_not_approved}, {@code job_in_progress}…).
 */
final class DemoHttpException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  final int status;
  final String code;
  final transient JsonObject extra;

  DemoHttpException(int status, String code, String message) {
    this(status, code, message, new JsonObject());
  }

  DemoHttpException(int status, String code, String message, JsonObject extra) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
    this.extra = extra;
  }

  static DemoHttpException notFound(String what) {
    return new DemoHttpException(404, "not_found", what + " not found");
  }

  static DemoHttpException invalid(String message) {
    return new DemoHttpException(422, "invalid", message);
  }

  static DemoHttpException conflict(String code, String message) {
    return new DemoHttpException(409, code, message);
  }

  JsonObject body() {
    JsonObject body = new JsonObject().put("error", code).put("message", getMessage());
    extra.forEach(e -> body.put(e.getKey(), e.getValue()));
    return body;
  }
}
