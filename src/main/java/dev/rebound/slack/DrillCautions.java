package dev.rebound.slack;

import io.vertx.core.Future;
import java.util.Optional;

/**
 * Why a suggested runbook's recovery is not proven by a recent, passed drill, in a few words
 * ("last drill failed 3 days ago", "never drilled"); empty when it is proven. The drills live
 * outside this package, so the service wiring passes the lookup in.
 */
@FunctionalInterface
public interface DrillCautions {
  Future<Optional<String>> of(String runbookId);
}
