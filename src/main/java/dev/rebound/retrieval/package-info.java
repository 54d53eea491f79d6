/**
 * Retrieval: documents (runbooks, knowledge docs, assets, incidents) are chunked, embedded and
 * stored in PostgreSQL with a tsvector; search fuses pgvector cosine (HNSW over half precision) and full text by
 * reciprocal rank fusion, optionally filtered by kind.
 *
 * <ul>
 *   <li>{@link dev.rebound.retrieval.Embedder} is the port; {@link dev.rebound.retrieval.MiniLmEmbedder}
 *       (in-process ONNX, the default) and {@link dev.rebound.retrieval.OpenAiCompatibleEmbedder} the
 *       adapters. Embedding is blocking: callers run it on a worker ({@code executeBlocking}).
 *   <li>{@link dev.rebound.retrieval.Indexer} keeps the index in step with a corpus by content hash:
 *       unchanged documents cost no embedding; the model and dimension are recorded and a
 *       different model means "reindex required", never a mixed index.
 *   <li>{@link dev.rebound.retrieval.HybridSearch} answers queries; every hit says why it matched.
 *   <li>{@link dev.rebound.retrieval.IndexStatus} is what readiness and the CLI report (staleness).
 * </ul>
 *
 * <p>May import the domain packages whose content it turns into documents ({@code runbook},
 * {@code inventory}), {@code error}, {@code health} (the index reports to readiness),
 * {@code config} (embedding settings), Vert.x core and its SQL client, and langchain4j (only in
 * the two embedder adapters; ONNX Runtime and the tokenizer only in {@code MiniLmEmbedder} and
 * {@code MiniLmEncoder}, which runs the session). Must never import Vert.x Web, Slack, {@code http}, {@code cli} or
 * {@code app} ({@code RetrievalPackageDependencyTest} checks). The subpackage {@code bench} holds
 * the benchmarks, which the CLI runs (its embedding baseline is langchain4j's stock model).
 */
package dev.rebound.retrieval;
