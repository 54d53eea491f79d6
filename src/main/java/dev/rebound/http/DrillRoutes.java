package dev.rebound.http;

import dev.rebound.drill.DrillService;
import dev.rebound.error.NotFoundException;
import dev.rebound.error.ValidationException;
import dev.rebound.inventory.Role;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Drills (the console's Drills page):
 *
 * <ul>
 *   <li>{@code GET /api/drills} (viewer): scenarios with their last drill, and each drilled runbook's
 *       recovery trend;
 *   <li>{@code POST /api/drills/{id}} (approver): starts the scenario's drill, 202 {@code {"drill_id"}}; 404
 *       unknown scenario, 409 a drill is running, 503 no demo system answers;
 *   <li>{@code GET /api/drills/reports/{drill_id}} (viewer): the report, also while it runs;
 *   <li>{@code GET /api/drills/history?runbook=&asset=&limit=} (viewer): newest first, with the trend;
 *       any other parameter, or one given twice, is a 400;
 *   <li>{@code GET /api/drills/flags?runbook=ID} (viewer): the runbook's drill flag ({@code runbook_id,
 *       last_status, last_at, flagged, reason}), as search hits and suggestions carry it; 404 for an
 *       id that names no runbook.
 * </ul>
 */
public final class DrillRoutes implements ApiRoutes {
  private static final int DEFAULT_LIMIT = 20;
  private static final List<String> HISTORY_PARAMS = List.of("runbook", "asset", "limit");

  private final DrillService drills;
  private final Function<String, Future<Boolean>> runbookExists;

  /**
   * {@code runbookExists}: whether a runbook of that id is loaded now (a flag of any other would be
   * invented); off the event loop, as it may read the runbooks' files.
   */
  public DrillRoutes(DrillService drills, Function<String, Future<Boolean>> runbookExists) {
    this.drills = drills;
    this.runbookExists = runbookExists;
  }

  @Override
  public void mount(Router router, Authz authz) {
    router.get("/api/drills").handler(authz.require(Role.VIEWER))
        .handler(ctx -> ApiJson.reply(ctx, drills::list));
    router.get("/api/drills/history").handler(authz.require(Role.VIEWER)).handler(this::history);
    router.get("/api/drills/flags").handler(authz.require(Role.VIEWER)).handler(this::flag);
    router.get("/api/drills/reports/:drill").handler(authz.require(Role.VIEWER))
        .handler(ctx -> ApiJson.reply(ctx, () -> drills.report(ctx.pathParam("drill"))));
    router.post("/api/drills/:id").handler(authz.require(Role.APPROVER)).handler(this::start);
  }

  private void start(RoutingContext ctx) {
    drills.start(ctx.pathParam("id")).onComplete(done -> {
      if (done.failed()) {
        ctx.fail(done.cause());
        return;
      }
      Responses.json(ctx, 202, new io.vertx.core.json.JsonObject().put("drill_id", done.result()));
    });
  }

  private void history(RoutingContext ctx) {
    ApiJson.reply(ctx, () -> {
      QueryParams.require(ctx.queryParams(), HISTORY_PARAMS);
      return drills.history(param(ctx, "runbook"), param(ctx, "asset"), Paging.limit(ctx.queryParams(), DEFAULT_LIMIT));
    });
  }

  private void flag(RoutingContext ctx) {
    ApiJson.reply(ctx, () -> {
      QueryParams.require(ctx.queryParams(), List.of("runbook"));
      List<String> ids = ctx.queryParams().getAll("runbook");
      if (ids.size() != 1 || ids.get(0).isBlank()) {
        throw new ValidationException("runbook must be given once, as a runbook id");
      }
      String id = ids.get(0).strip();
      // "never drilled, flagged" for a misspelt id would read like a fact about a real runbook.
      return runbookExists.apply(id).compose(exists -> exists
          ? drills.flags().forRunbook(id).map(f -> f.toJson().put("runbook_id", f.runbookId()))
          : Future.failedFuture(NotFoundException.of("runbook", id)));
    });
  }

  private static Optional<String> param(RoutingContext ctx, String name) {
    return Optional.ofNullable(ctx.queryParams().get(name)).filter(s -> !s.isBlank());
  }
}
