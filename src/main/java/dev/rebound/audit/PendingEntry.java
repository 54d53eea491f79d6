package dev.rebound.audit;

/**
 * An entry appended inside a caller's transaction and not yet in the chain: its id in
 * {@code audit_pending}. It gets its seq and hashes when sealed, shortly after the transaction
 * commits; {@link AuditLog#sealed} gives the entry as it is then stored.
 */
public record PendingEntry(long id) {}
