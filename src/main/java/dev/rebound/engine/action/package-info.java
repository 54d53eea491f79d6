/**
 * Executors: what actually touches production. Owns the {@link
 * dev.rebound.engine.action.ActionExecutor} port (blocking, worker threads only, each call one
 * attempt bounded by {@code ActionContext.timeout()}), its adapters by technology ({@code
 * HttpActionExecutor}, {@code SqlActionExecutor}, {@code CommandActionExecutor}, {@code
 * ManualActionExecutor}, {@code WaitActionExecutor}), the registry {@link
 * dev.rebound.engine.action.ActionExecutors}, and {@link
 * dev.rebound.engine.action.ActionFailedException}, which says whether a retry can help and
 * whether the outcome is unknown.
 *
 * <p>Safety lives here as code, not as convention: SQL values only as bind parameters; commands
 * only from the scripts directory (real path checked), as argv without a shell, with a cleared
 * environment; HTTP without redirects and with an {@code Idempotency-Key}; every reply bounded in
 * size; every output, summary and failure message masked with the configuration's secrets
 * ({@link dev.rebound.audit.Masker}) before it leaves the executor.
 *
 * <p>What is not here, on purpose: approvals, retries, leases, the order of steps and the audit
 * log. The engine core calls an executor only after all of that, and decides what a failure
 * means for the run. Executors know nothing of runs beyond the ids in the context.
 *
 * <p>Targets are reached through {@code dev.rebound.engine.target} (JDBC per call, see its
 * package-info for why JDBC rather than the Vert.x pg client). May import the JDK, Jackson,
 * {@code dev.rebound.engine.target}, {@code dev.rebound.runbook} (the rendered {@code Action}),
 * {@code dev.rebound.config}, {@code dev.rebound.audit.Masker} and {@code dev.rebound.error}.
 * Must never import Vert.x, Slack, langchain4j, the HTTP edge, the CLI or the agent.
 */
package dev.rebound.engine.action;
