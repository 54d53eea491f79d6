/**
 * {@link dev.rebound.digest.Sha256}: the one SHA-256 helper of the packages that hash content
 * (runbook and prompt versions, incidents, retrieval documents, API tokens, the audit chain,
 * Slack retries). The demo system keeps its own: it stands for systems Rebound acts on, not
 * part of Rebound. This package imports only the JDK.
 */
package dev.rebound.digest;
