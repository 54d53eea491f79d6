package dev.rebound.http;

import dev.rebound.audit.ActorType;
import dev.rebound.audit.AuditFilter;
import dev.rebound.audit.AuditQuery;
import dev.rebound.audit.AuditVerifier;
import dev.rebound.audit.VerifyResult;
import dev.rebound.error.ValidationException;
import dev.rebound.inventory.Role;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The audit trail over HTTP, for the console and for scripts. Both routes need only the viewer
 * role: entries were masked before they were stored, and seeing the record of what was done is
 * what a viewer is for.
 *
 * <ul>
 *   <li>{@code GET /api/audit?run=&incident=&actor=&actor_type=&action=&after=&before=&limit=&order=}:
 *       entries, newest first unless {@code order=oldest}; {@code action} is a prefix
 *       ({@code step.}); {@code limit} 1–1000, default 100. Each entry carries its seq and both
 *       hashes, with numbers exact, so a client can check the chain itself.
 *   <li>{@code GET /api/audit/verify}: walks the whole chain ({@link VerifyResult}). A walk costs
 *       time proportional to the log, so requests that arrive while one runs share it
 *       ({@link SingleFlight}) rather than each starting their own; the next request after it
 *       ends walks afresh, so tampering before a walk started is always found. Counted as
 *       {@code rebound.audit.verify.requests}, tag {@code walk}: {@code started} or {@code joined}.
 * </ul>
 */
public final class AuditRoutes implements ApiRoutes {
  private static final List<String> PARAMS =
      List.of("run", "incident", "actor", "actor_type", "action", "after", "before", "limit", "order");

  private final AuditQuery query;
  private final SingleFlight<VerifyResult> verification;
  private final Counter walksStarted;
  private final Counter walksJoined;

  public AuditRoutes(AuditQuery query, AuditVerifier verifier, MeterRegistry registry) {
    this.query = Objects.requireNonNull(query, "query");
    Objects.requireNonNull(verifier, "verifier");
    this.verification = new SingleFlight<>(verifier::verify);
    this.walksStarted = verifyRequests(registry, "started");
    this.walksJoined = verifyRequests(registry, "joined");
  }

  private static Counter verifyRequests(MeterRegistry registry, String walk) {
    return Counter.builder("rebound.audit.verify.requests")
        .description("GET /api/audit/verify requests, by whether they started a walk of the chain or joined one")
        .tag("walk", walk)
        .register(registry);
  }

  @Override
  public void mount(Router router, Authz authz) {
    router.get("/api/audit").handler(authz.require(Role.VIEWER)).handler(this::list);
    router.get("/api/audit/verify").handler(authz.require(Role.VIEWER)).handler(this::verify);
  }

  private void list(RoutingContext ctx) {
    AuditFilter filter = filter(ctx);
    query.find(filter)
        .onSuccess(entries -> {
          JsonArray items = new JsonArray();
          entries.forEach(e -> items.add(new JsonObject(e.toMap())));
          Responses.ok(ctx, new JsonObject().put("entries", items).put("count", entries.size()));
        })
        .onFailure(ctx::fail);
  }

  private void verify(RoutingContext ctx) {
    SingleFlight.Shared<VerifyResult> walk = verification.get();
    (walk.joined() ? walksJoined : walksStarted).increment();
    walk.result()
        .onSuccess(result -> Responses.ok(ctx, new JsonObject()
            .put("ok", result.ok())
            .put("entries_checked", result.entriesChecked())
            .put("first_broken_seq", result.firstBrokenSeq().isPresent() ? result.firstBrokenSeq().getAsLong() : null)
            .put("reason", result.reason().orElse(null))
            .put("pending", result.pending())
            .put("summary", result.summary())))
        .onFailure(ctx::fail);
  }

  /**
   * Every bad parameter reported at once (400), an unknown or repeated one too: a filter that is
   * not applied (say {@code actor_id=}, as the entries name the field) would return the whole
   * trail as if it were the filtered one.
   */
  private static AuditFilter filter(RoutingContext ctx) {
    List<String> problems = new ArrayList<>(QueryParams.problems(ctx.queryParams(), PARAMS));
    AuditFilter filter = AuditFilter.all();
    String run = param(ctx, "run");
    String incident = param(ctx, "incident");
    String actor = param(ctx, "actor");
    String actorType = param(ctx, "actor_type");
    String action = param(ctx, "action");
    String order = param(ctx, "order");
    Long after = number(ctx, "after", problems);
    Long before = number(ctx, "before", problems);
    Long limit = number(ctx, "limit", problems);
    if (run != null) {
      filter = filter.run(run);
    }
    if (incident != null) {
      filter = filter.incident(incident);
    }
    if (actor != null) {
      filter = filter.actor(actor);
    }
    if (actorType != null) {
      var type = ActorType.fromDb(actorType);
      if (type.isPresent()) {
        filter = filter.actorType(type.get());
      } else {
        problems.add("actor_type must be one of human, agent, system, drill");
      }
    }
    if (action != null) {
      filter = filter.actionPrefix(action);
    }
    if (after != null) {
      filter = filter.afterSeq(after);
    }
    if (before != null) {
      filter = filter.beforeSeq(before);
    }
    if (order != null && !order.equals("newest") && !order.equals("oldest")) {
      problems.add("order must be newest or oldest");
    } else if ("oldest".equals(order)) {
      filter = filter.oldestFirst();
    }
    if (limit != null && (limit < 1 || limit > AuditFilter.MAX_LIMIT)) {
      problems.add("limit must be between 1 and " + AuditFilter.MAX_LIMIT);
    } else if (limit != null) {
      filter = filter.limit(limit.intValue());
    }
    if (!problems.isEmpty()) {
      throw new ValidationException(problems);
    }
    return filter;
  }

  private static String param(RoutingContext ctx, String name) {
    String value = ctx.queryParams().get(name);
    return value == null || value.isBlank() ? null : value.trim();
  }

  private static Long number(RoutingContext ctx, String name, List<String> problems) {
    String value = param(ctx, name);
    if (value == null) {
      return null;
    }
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      problems.add(name + " must be a whole number");
      return null;
    }
  }
}
