/**
 * Checks: read-only probes of target systems used as preconditions, step {@code verify},
 * invariants and validation. Owns the {@link dev.rebound.engine.check.CheckRunner} port
 * (blocking, worker threads, bounded by {@code CheckContext.timeout()}, never throws for an
 * unhealthy target), the registry {@link dev.rebound.engine.check.CheckRunners} (the only public
 * entry: it masks every {@link dev.rebound.engine.check.CheckResult}), the runners per kind
 * ({@code http}, {@code sql}, {@code sha256}, {@code freshness}, {@code drift}, {@code latency};
 * package-private) and the pure statistics behind drift ({@link
 * dev.rebound.engine.check.DriftStatistics}).
 *
 * <p>Checks change nothing: SQL runs in {@code READ ONLY} transactions enforced by the server,
 * HTTP checks send no body. Targets are reached through {@code dev.rebound.engine.target}.
 *
 * <p>May import the JDK, Jackson, {@code dev.rebound.engine.target}, {@code dev.rebound.runbook}
 * (the rendered {@code Check}), {@code dev.rebound.inventory} (assets and their lineage, for
 * {@code sha256}), {@code dev.rebound.config}, {@code dev.rebound.audit.Masker},
 * {@code dev.rebound.digest} and {@code dev.rebound.error}. Must never import Vert.x, Slack, langchain4j, the HTTP edge, the
 * CLI, the agent or {@code dev.rebound.engine.action}.
 */
package dev.rebound.engine.check;
