/**
 * How Rebound reaches the systems a runbook acts on or checks: SQL datasources
 * ({@link dev.rebound.engine.target.Datasources}: one JDBC connection and one transaction per
 * call, parameters only as bind values, {@code statement_timeout} from the caller's deadline) and
 * HTTP ({@link dev.rebound.engine.target.HttpTarget}: one deadline over connect, send and the
 * whole body, bounded bodies, no redirects). Shared by {@code dev.rebound.engine.action} (which
 * may change targets) and {@code dev.rebound.engine.check} (which only reads them).
 *
 * <p>Everything here is blocking and meant for worker threads. Failures are
 * {@link dev.rebound.engine.target.TargetCallException}s that say whether retrying could help and
 * whether the target may have applied the call; callers mask their messages before showing them.
 *
 * <p>Why JDBC and not the Vert.x pg client here: executors and checks are blocking by contract
 * (they also run processes and stream files), so a reactive client would only be awaited; JDBC
 * gives plain transactions, server-side {@code statement_timeout} with client-side socket
 * timeouts as a backstop, streaming result sets with a fetch size, and
 * {@code preferQueryMode=extended} so values are always sent as bind parameters. A fresh
 * connection per call (no pool) means nothing (search_path, a half-finished transaction) leaks
 * between runbook steps; steps are seconds apart, so the connect cost (a few ms) does not matter.
 *
 * <p>May import the JDK, Jackson, the PostgreSQL JDBC driver, {@code dev.rebound.config},
 * {@code dev.rebound.digest} and {@code dev.rebound.error}. Must never import Vert.x, Slack, langchain4j, the HTTP edge, the
 * audit log or the engine core: it knows how to call a target, not why.
 */
package dev.rebound.engine.target;
