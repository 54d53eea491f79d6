package dev.rebound.retrieval;

/** Called by the {@link Indexer} after each batch; on a worker or event-loop thread, must not block. */
@FunctionalInterface
public interface IndexProgress {
  IndexProgress NONE = (done, total, chunks) -> {};

  /** {@code done} of {@code total} documents to embed are stored, {@code chunks} chunks so far. */
  void batchStored(int done, int total, int chunks);
}
