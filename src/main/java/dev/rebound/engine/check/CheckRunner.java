package dev.rebound.engine.check;

import dev.rebound.runbook.Check;

/**
 * Runs one rendered, read-only check (precondition, verify, invariant, validation). A port; the
 * engine, the agent's read-only tools and drills call {@link CheckRunners}, which dispatches by
 * {@link Check#kind()} and masks every result.
 *
 * <p><b>Threading:</b> blocking; call it on a worker thread, never on an event loop.
 * Thread-safe.
 *
 * <p><b>Timeout:</b> finishes within {@link CheckContext#timeout()} (plus a little cleanup);
 * running out of time is a failed check saying so.
 *
 * <p><b>Failures:</b> never throws for an unhealthy or unreachable target: that is a failed
 * {@link CheckResult} with the reason in {@code message}. Checks change nothing (SQL runs in
 * read-only transactions, HTTP checks send no body), so running one again is always safe.
 */
public interface CheckRunner {
  CheckResult run(Check rendered, CheckContext ctx);
}
