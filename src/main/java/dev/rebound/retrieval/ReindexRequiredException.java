package dev.rebound.retrieval;

import dev.rebound.error.ConflictException;

/**
 * The index holds vectors of another model (or dimension) than the configured embedder: they
 * cannot be compared, so searching or adding to it is refused until it is rebuilt.
 */
public final class ReindexRequiredException extends ConflictException {
  public ReindexRequiredException(IndexMeta index, Embedder embedder) {
    super("reindex required: the index was built with " + index.model() + " (" + index.dimension()
        + " dimensions) but the configured embedding model is " + embedder.model() + " ("
        + embedder.dimension() + " dimensions); run `rebound index --reindex`");
  }
}
