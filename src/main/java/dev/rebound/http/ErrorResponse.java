package dev.rebound.http;

import dev.rebound.error.ConflictException;
import dev.rebound.error.ForbiddenException;
import dev.rebound.error.NotFoundException;
import dev.rebound.error.ReboundException;
import dev.rebound.error.TooManyRequestsException;
import dev.rebound.error.UnauthenticatedException;
import dev.rebound.error.UnavailableException;
import dev.rebound.error.ValidationException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.handler.HttpException;
import java.util.List;
import java.util.Map;

/**
 * The one mapping from failures to HTTP: exception type → status and error code. Anything not
 * listed is a bug and becomes 500 with a generic message (the details go to the log only, since
 * an unexpected exception's message may contain anything).
 */
record ErrorResponse(int status, String code, String message, List<String> problems) {
  private static final Map<Integer, String> CODES = Map.of(
      400, "bad_request", 401, "unauthenticated", 403, "forbidden", 404, "not_found",
      405, "method_not_allowed", 406, "not_acceptable", 413, "payload_too_large",
      415, "unsupported_media_type", 429, "too_many_requests", 503, "unavailable");

  static ErrorResponse of(Throwable failure, int statusCode) {
    if (failure instanceof ReboundException e) {
      int status = statusOf(e);
      if (status == 500) {
        return internal();
      }
      List<String> problems = e instanceof ValidationException v && v.problems().size() > 1 ? v.problems() : List.of();
      return new ErrorResponse(status, e.code(), e.getMessage(), problems);
    }
    if (failure instanceof DecodeException e) {
      return new ErrorResponse(400, "malformed_json", RequestBodies.describe(e), List.of());
    }
    int status = failure instanceof HttpException http ? http.getStatusCode() : statusCode;
    if (status >= 400 && status < 500) {
      return forStatus(status);
    }
    return internal();
  }

  static ErrorResponse forStatus(int status) {
    String code = CODES.getOrDefault(status, "http_" + status);
    String message = switch (status) {
      case 404 -> "no such resource";
      case 405 -> "method not allowed for this resource";
      case 413 -> "request body is larger than the configured limit";
      default -> code.replace('_', ' ');
    };
    return new ErrorResponse(status, code, message, List.of());
  }

  static ErrorResponse internal() {
    return new ErrorResponse(500, "internal_error", "internal error", List.of());
  }

  private static int statusOf(ReboundException e) {
    if (e instanceof UnauthenticatedException) {
      return 401;
    } else if (e instanceof ForbiddenException) {
      return 403;
    } else if (e instanceof NotFoundException) {
      return 404;
    } else if (e instanceof ConflictException) {
      return 409;
    } else if (e instanceof ValidationException) {
      return 400;
    } else if (e instanceof TooManyRequestsException) {
      return 429;
    } else if (e instanceof UnavailableException) {
      return 503;
    }
    return 500;
  }

  JsonObject toJson() {
    JsonObject error = new JsonObject().put("code", code).put("message", message);
    if (!problems.isEmpty()) {
      error.put("problems", new JsonArray(problems));
    }
    return new JsonObject().put("error", error);
  }

  ErrorResponse withMessage(String newMessage) {
    return new ErrorResponse(status, code, newMessage, problems);
  }
}
