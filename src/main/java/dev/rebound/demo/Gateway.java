package dev.rebound.demo;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * The public prediction API: splits traffic between primary and standby by
 * {@code standby_percent} (weighted random per request, deterministic at 0 and 100), records
 * every backend call in a one-minute window, and judges backends healthy when their last health
 * poll answered (status {@code ok} or {@code degraded}) and, over the window, fewer than 1% of
 * their gateway requests failed and p95 stayed under 250 ms. A backend error is a 502: the gateway
 * does not retry on the other backend; that is what failover is for. Event-loop only.
 */
final class Gateway {
  static final double MAX_ERROR_RATE = 0.01;
  static final long MAX_P95_MS = 250;

  private final ServingInstance primary;
  private final ServingInstance standby;
  private final LatencyWindow primaryWindow = new LatencyWindow();
  private final LatencyWindow standbyWindow = new LatencyWindow();
  private final Random random = new Random();
  private int standbyPercent;
  private Instant updatedAt = Instant.now();
  private String reason = "initial";
  private boolean primaryUp = true;
  private boolean standbyUp = true;

  Gateway(ServingInstance primary, ServingInstance standby) {
    this.primary = primary;
    this.standby = standby;
  }

  void reset() {
    standbyPercent = 0;
    updatedAt = Instant.now();
    reason = "initial";
    primaryWindow.clear();
    standbyWindow.clear();
    primaryUp = true;
    standbyUp = true;
  }

  /** The health poll: whether each instance's /health answers (ok or degraded, not down). */
  Future<Void> poll() {
    return Future.join(probe(primary), probe(standby)).mapEmpty();
  }

  private Future<Boolean> probe(ServingInstance instance) {
    return instance.gated(() -> Future.succeededFuture(true))
        .recover(e -> Future.succeededFuture(false))
        .onSuccess(up -> {
          if (instance == primary) {
            primaryUp = up;
          } else {
            standbyUp = up;
          }
        });
  }

  boolean healthy(ServingInstance instance) {
    LatencyWindow window = instance == primary ? primaryWindow : standbyWindow;
    boolean up = instance == primary ? primaryUp : standbyUp;
    Long p95 = window.p95Ms();
    return up && window.errorRate() < MAX_ERROR_RATE && (p95 == null || p95 < MAX_P95_MS);
  }

  /** ok: every backend with a share is healthy; degraded: at least one with a share is; else down. */
  String status() {
    int healthyShares = 0;
    int shares = 0;
    for (ServingInstance instance : List.of(primary, standby)) {
      int share = instance == primary ? 100 - standbyPercent : standbyPercent;
      if (share > 0) {
        shares++;
        healthyShares += healthy(instance) ? 1 : 0;
      }
    }
    return healthyShares == shares ? "ok" : healthyShares > 0 ? "degraded" : "down";
  }

  JsonObject health() {
    return new JsonObject()
        .put("status", status())
        .put("standby_percent", standbyPercent)
        .put("primary_healthy", healthy(primary))
        .put("standby_healthy", healthy(standby));
  }

  JsonObject traffic() {
    return new JsonObject()
        .put("primary_percent", 100 - standbyPercent)
        .put("standby_percent", standbyPercent)
        .put("primary_healthy", healthy(primary))
        .put("standby_healthy", healthy(standby))
        .put("primary_error_rate_1m", primaryWindow.errorRate())
        .put("standby_error_rate_1m", standbyWindow.errorRate())
        .put("primary_p95_ms_1m", primaryWindow.p95Ms())
        .put("standby_p95_ms_1m", standbyWindow.p95Ms())
        .put("updated_at", Times.iso(updatedAt))
        .put("reason", reason);
  }

  JsonObject setTraffic(int percent, String newReason) {
    if (percent < 0 || percent > 100) {
      throw DemoHttpException.invalid("standby_percent must be an integer in 0..100");
    }
    int previous = standbyPercent;
    standbyPercent = percent;
    updatedAt = Instant.now();
    reason = newReason;
    return new JsonObject()
        .put("primary_percent", 100 - percent)
        .put("standby_percent", percent)
        .put("previous_standby_percent", previous)
        .put("updated_at", Times.iso(updatedAt));
  }

  int standbyPercent() {
    return standbyPercent;
  }

  Future<JsonObject> predict(JsonObject request) {
    return route(instance -> instance.predict(request));
  }

  Future<JsonObject> canary(String model) {
    return route(instance -> instance.canary(model));
  }

  private Future<JsonObject> route(Function<ServingInstance, Future<JsonObject>> call) {
    ServingInstance backend = standbyPercent >= 100 ? standby
        : standbyPercent <= 0 ? primary
        : random.nextInt(100) < standbyPercent ? standby : primary;
    LatencyWindow window = backend == primary ? primaryWindow : standbyWindow;
    long start = System.nanoTime();
    return backend.gated(() -> call.apply(backend)).transform(done -> {
      long ms = (System.nanoTime() - start) / 1_000_000;
      if (done.succeeded()) {
        window.record(ms, false);
        return Future.succeededFuture(done.result().copy().put("served_by", backend.name));
      }
      Throwable cause = done.cause();
      boolean backendFault = !(cause instanceof DemoHttpException e) || e.status >= 500;
      window.record(ms, backendFault);
      if (!backendFault) {
        return Future.failedFuture(cause);
      }
      return Future.failedFuture(new DemoHttpException(502, "backend_error",
          "serving " + backend.name + " failed: " + cause.getMessage(),
          new JsonObject().put("served_by", backend.name)));
    });
  }
}
