/**
 * The safety core: durable runs of approved runbooks. Owns runs, steps, step approvals,
 * execution, rollback and recovery; the {@link dev.rebound.engine.Engine} facade is what the HTTP
 * edge, Slack, the agent and drills call.
 *
 * <p>Rules kept here, as code: a step executes only after enough valid approvals that bind
 * exactly what was shown (run, step, attempt, runbook content hash, the hash of the rendered
 * action, the targets), checked again in the claim transaction right before execution; a step is
 * claimed with one atomic {@code UPDATE … WHERE state = 'approved'} (or, by the approval that
 * completes its approvals, in that approval's transaction, on the step's row it locked, with an
 * {@code UPDATE … WHERE state = 'awaiting_approval'} the database requires to match), so several
 * instances on one database execute it once; the undo is recorded before its step starts, with the step's
 * idempotency key; every transition commits in one transaction with its audit entry
 * ({@link dev.rebound.engine.RunStore#inTransaction}); a step found running with an expired
 * lease is re-run only when idempotent, otherwise it waits for a person.
 *
 * <p>Lock order: a transaction that touches a run and its steps locks the run's row first (it
 * locks or updates {@code runs} before any {@code run_steps} row: {@link
 * dev.rebound.engine.RunTx#lockRun}, {@link dev.rebound.engine.RunTx#lockRunBeforeSteps}, or an
 * owned-work update of the run), then its steps, then their approvals; the audit chain's head
 * last. Two transactions on one run therefore queue instead of deadlocking (a claim that held the
 * step and then updated the run met an abort that held the run and skipped the step: PostgreSQL
 * cancelled one of them, and the person got a 500). Transactions that touch only one step (lease
 * renewal, a try's failure, settling checks) need no run lock.
 *
 * <p>Ports by role ({@link dev.rebound.engine.RunStore}, {@link dev.rebound.engine.RunbookSource},
 * {@link dev.rebound.engine.RunbookGate}), adapters by technology ({@link
 * dev.rebound.engine.PgRunStore}, {@link dev.rebound.engine.FileRunbookSource}). Executors and
 * checks are the blocking ports of {@code engine.action} and {@code engine.check}; they run on
 * the engine's own worker pool, never on an event loop.
 *
 * <p>May import Vert.x core and the SQL client, Jackson, Micrometer's core API, and Rebound's
 * {@code runbook}, {@code audit}, {@code inventory}, {@code config}, {@code error} and
 * {@code engine.*} packages. Must never import Vert.x Web, Slack, langchain4j, {@code http},
 * {@code app}, {@code cli} or the agent: they depend on the engine, not it on them.
 */
package dev.rebound.engine;
