package dev.rebound.http;

import dev.rebound.config.DatabaseUrl;
import dev.rebound.db.DatabaseOutage;
import dev.rebound.error.ReboundException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renders every failed request, and every request no route matched, as
 * {@code {"error": {"code": "...", "message": "..."}}} with the status {@link ErrorResponse}
 * chooses. Server errors are logged with a short id that is also returned to the caller, so a
 * report can be matched to the log without exposing the stack trace; an expected unavailability
 * (503) is one warning line without one. Rebound's database going away is such an
 * unavailability, whichever store's query met it (see {@link DatabaseOutage}).
 */
final class FailureHandler implements Handler<RoutingContext> {
  private static final Logger LOG = LoggerFactory.getLogger(FailureHandler.class);

  private final DatabaseUrl database;

  /** {@code database}: where Rebound's database is, named in the 503 while it is away. */
  FailureHandler(DatabaseUrl database) {
    this.database = database;
  }

  @Override
  public void handle(RoutingContext ctx) {
    Throwable failure = databaseOutage(ctx.failure());
    ErrorResponse error = ErrorResponse.of(failure, ctx.statusCode());
    if (error.status() == 503) {
      // A deliberate refusal (Slack off, the database or model endpoint down): one line, since a
      // stack trace per request would bury the log while the dependency stays away.
      LOG.warn("{} {} unavailable: {}{}", ctx.request().method(), ctx.request().path(), error.message(),
          failure != null && failure.getCause() != null ? " (" + failure.getCause() + ")" : "");
    } else if (error.status() >= 500) {
      String id = UUID.randomUUID().toString().substring(0, 8);
      LOG.error("{} {} failed [{}]", ctx.request().method(), ctx.request().path(), id, failure);
      if (error.status() == 500) {
        error = error.withMessage("internal error (reference " + id + ")");
      }
    }
    if (ctx.response().headWritten()) {
      // Too late for an error body: the client already has a status. Cut the connection so it
      // cannot mistake a truncated body for a complete one.
      ctx.response().reset();
      return;
    }
    if (error.status() == 401) {
      ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"rebound\"");
    }
    Responses.json(ctx, error.status(), error.toJson());
  }

  private Throwable databaseOutage(Throwable failure) {
    if (failure == null || failure instanceof ReboundException) {
      return failure;
    }
    return DatabaseOutage.of(failure, database).<Throwable>map(e -> e).orElse(failure);
  }
}
