package dev.rebound.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.app.Bootstrap;
import dev.rebound.error.NotFoundException;
import dev.rebound.error.ValidationException;
import dev.rebound.inventory.AssetInventory;
import dev.rebound.inventory.AssetSummaryView;
import dev.rebound.inventory.ImpactReportView;
import dev.rebound.inventory.RecoveryOrderView;
import dev.rebound.inventory.Role;
import dev.rebound.inventory.UnknownAssetException;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The asset inventory and the questions asked of it during an incident (all viewer):
 *
 * <ul>
 *   <li>{@code GET /api/assets}: every asset;
 *   <li>{@code GET /api/assets/{id}}: one asset with what it needs and what needs it;
 *   <li>{@code GET /api/assets/{id}/impact}: what a failure takes down, and the tightest RTO;
 *   <li>{@code GET /api/assets/recovery-order?failed=a,b}: what to bring back, dependencies first.
 * </ul>
 *
 * The inventory was loaded at start-up and is immutable, so these answer on the event loop.
 */
public final class AssetRoutes implements ApiRoutes {
  private final Bootstrap.Services services;

  public AssetRoutes(Bootstrap.Services services) {
    this.services = services;
  }

  @Override
  public void mount(Router router, Authz authz) {
    // Before /api/assets/:id, which would otherwise take "recovery-order" for an asset id.
    router.get("/api/assets/recovery-order").handler(authz.require(Role.VIEWER)).handler(this::recoveryOrder);
    router.get("/api/assets").handler(authz.require(Role.VIEWER)).handler(this::list);
    router.get("/api/assets/:id").handler(authz.require(Role.VIEWER)).handler(this::get);
    router.get("/api/assets/:id/impact").handler(authz.require(Role.VIEWER)).handler(this::impact);
  }

  private void list(RoutingContext ctx) {
    ApiJson.reply(ctx, () -> {
      ObjectNode body = ApiJson.object();
      ArrayNode assets = body.putArray("assets");
      inventory().assets().forEach(a -> assets.add(ApiJson.tree(AssetSummaryView.of(a))));
      return Future.succeededFuture(body);
    });
  }

  private void get(RoutingContext ctx) {
    ApiJson.reply(ctx, () -> Future.succeededFuture(AssetDetailView.of(inventory().graph(), ctx.pathParam("id"))));
  }

  private void impact(RoutingContext ctx) {
    ApiJson.reply(ctx, () -> Future.succeededFuture(
        ImpactReportView.of(inventory().graph().impact(ctx.pathParam("id")))));
  }

  private void recoveryOrder(RoutingContext ctx) {
    ApiJson.reply(ctx, () -> {
      Set<String> failed = failedIds(ctx.queryParam("failed"));
      List<String> unknown = failed.stream().filter(id -> !inventory().contains(id)).toList();
      if (unknown.size() == 1) {
        throw new UnknownAssetException(unknown.get(0));
      } else if (!unknown.isEmpty()) {
        throw new NotFoundException("assets '" + String.join("', '", unknown) + "' not found");
      }
      return Future.succeededFuture(RecoveryOrderView.of(inventory().graph().recoveryOrder(failed)));
    });
  }

  /** {@code ?failed=a,b} and {@code ?failed=a&failed=b} alike; blanks and repeats are dropped. */
  static Set<String> failedIds(List<String> values) {
    Set<String> ids = new LinkedHashSet<>();
    for (String value : values) {
      for (String id : value.split(",")) {
        if (!id.isBlank()) {
          ids.add(id.trim());
        }
      }
    }
    if (ids.isEmpty()) {
      throw new ValidationException(
          "failed is required: the failed asset ids, comma-separated, e.g. ?failed=features.online,models.ranker");
    }
    return ids;
  }

  private AssetInventory inventory() {
    return services.knowledge().assets();
  }
}
