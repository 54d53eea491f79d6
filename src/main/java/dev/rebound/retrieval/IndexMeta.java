package dev.rebound.retrieval;

import java.time.OffsetDateTime;

/** What the index was built with and when it last changed. */
public record IndexMeta(String model, int dimension, OffsetDateTime indexedAt) {
  public boolean matches(Embedder embedder) {
    return model.equals(embedder.model()) && dimension == embedder.dimension();
  }
}
