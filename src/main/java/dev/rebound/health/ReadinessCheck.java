package dev.rebound.health;

import io.vertx.core.Future;

/**
 * One thing that must work before this replica should receive traffic. Called on the event loop
 * for every {@code GET /health/ready}: implementations must not block, should be cheap (a
 * {@code select 1}, a flag), and may be given a deadline by the caller, after which they count
 * as down. A failed future counts as down with the failure's message.
 */
public interface ReadinessCheck {
  /** Key under {@code details} in the readiness response, e.g. {@code database}. */
  String name();

  Future<CheckResult> check();
}
