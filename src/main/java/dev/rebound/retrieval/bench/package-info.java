/**
 * Benchmarks of retrieval, run by {@code rebound bench …}: quality on the alert-to-runbook data
 * (Rebound's hybrid search against a plain Lucene BM25 baseline, in the same run) and speed at
 * scale (search latency at 100k chunks, HNSW recall against exact search, indexing throughput).
 * Each works in a scratch database it creates and drops, never in Rebound's own.
 *
 * <p>Imports {@code dev.rebound.retrieval}, {@code dev.rebound.db}, {@code dev.rebound.config},
 * Lucene, JDBC and Vert.x core; nothing imports this package but the CLI.
 */
package dev.rebound.retrieval.bench;
