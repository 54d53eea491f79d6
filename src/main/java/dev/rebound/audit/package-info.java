/**
 * The audit log: an append-only, hash-chained record in PostgreSQL of every LLM call, tool call,
 * approval, rejection, step and check. Owns the {@link dev.rebound.audit.AuditLog} port and its
 * PostgreSQL adapter {@link dev.rebound.audit.PgAuditLog} (appends inside the caller's
 * transaction, so a state change and its entry commit together), the sealer that chains committed
 * entries ({@link dev.rebound.audit.AuditSealer}), masking of secret values
 * ({@link dev.rebound.audit.Masker}), verification of the chain and of exports
 * ({@link dev.rebound.audit.AuditVerifier}), JSON Lines export ({@link dev.rebound.audit.AuditExport})
 * and filtered reads ({@link dev.rebound.audit.AuditQuery}). The schema, its append-only trigger
 * and revoked privileges are in {@code db/migration/V2__audit_log.sql}; the pending table and the
 * seal in {@code V13__audit_pending.sql}; group commit of standalone appends
 * ({@link dev.rebound.audit.AppendBatcher}: a batch chained straight into the log in one
 * statement, after the pending entries committed before it) in
 * {@code V18__audit_append_direct.sql}; engine transitions that chain their own entries when the
 * head is free ({@link dev.rebound.audit.AuditLog#appendChained}) in
 * {@code V20__audit_append_chained.sql} (only a transition alone in its process tries: under
 * concurrency the entries go pending and are sealed in batches, which costs less CPU per entry).
 *
 * <p>Two steps, so that writers never queue on the chain: an append is a plain INSERT into
 * {@code audit_pending} in the caller's transaction (committed or rolled back with it); a seal
 * ({@code audit_seal}, one short transaction under the chain head's row lock, serialised across
 * replicas) moves committed pending entries into {@code audit_log} in id order, giving each its
 * seq and hashes. Seals run right after commits (coalesced: one in flight per sealer, rounds a
 * few ms apart under load), on the engine poller's timer, at engine start-up (entries a killed
 * process left pending) and before every read, so whoever reads after a commit sees the entry.
 * A process that ends closes its log before its pool ({@link dev.rebound.audit.PgAuditLog#close}):
 * the seals under way or asked for still run, later ones are refused without a query.
 * <b>The window:</b> between its commit and its seal (milliseconds; after a crash, until the next
 * seal) an entry is durable but not chained: the pending table's trigger refuses UPDATE,
 * TRUNCATE and any DELETE outside a seal, but its owner could still change it unnoticed.
 * {@code audit verify} reports how many wait. A shortcut for the engine's transitions, whose
 * events wait for their entries to be chained: their append, the last statement before their
 * COMMIT, takes the head if nobody holds it ({@code SKIP LOCKED}, never waiting), seals what is
 * pending and chains their entries in their own transaction, so one commit does both and no seal
 * follows; when the head is held, they append pending as above.
 *
 * <p>Each entry's hash is SHA-256 over the previous entry's hash and the entry's canonical JSON
 * ({@code dev.rebound.runbook.CanonicalJson}); seq is gap-free, so a deleted entry leaves a hole,
 * a changed one a hash mismatch, and entries cut from the end a head that points past the last.
 *
 * <p>Threading: everything returns Vert.x futures and never blocks, except
 * {@link dev.rebound.audit.AuditExport} and
 * {@link dev.rebound.audit.AuditVerifier#verifyExport(java.io.InputStream)}, which do stream I/O
 * and must run on the CLI's thread or a worker.
 *
 * <p>May import Vert.x core and SQL client, Jackson, {@code dev.rebound.runbook.CanonicalJson}
 * {@code dev.rebound.digest} and {@code dev.rebound.error}. Must never import {@code dev.rebound.http}, Vert.x Web, Slack or
 * langchain4j types, nor the engine or agent: they depend on this package, not it on them.
 * Secrets arrive as plain values ({@code Masker.of(config.secretValues())}), so it needs no
 * configuration type either.
 */
package dev.rebound.audit;
