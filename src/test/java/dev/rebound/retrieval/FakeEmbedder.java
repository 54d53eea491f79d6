package dev.rebound.retrieval;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A cheap deterministic embedder for indexer tests: hashed bag of words, L2-normalised. Counts
 * the texts it embedded, so tests can assert that unchanged content costs no embedding.
 */
final class FakeEmbedder implements Embedder {
  private final String model;
  private final int dimension;
  final AtomicInteger embedded = new AtomicInteger();

  FakeEmbedder(String model, int dimension) {
    this.model = model;
    this.dimension = dimension;
  }

  @Override
  public String model() {
    return model;
  }

  @Override
  public int dimension() {
    return dimension;
  }

  @Override
  public List<float[]> embed(List<String> texts) {
    embedded.addAndGet(texts.size());
    return texts.stream().map(this::vector).toList();
  }

  private float[] vector(String text) {
    float[] v = new float[dimension];
    v[0] = 0.01f;
    for (String word : text.toLowerCase(Locale.ROOT).split("[^a-z0-9]+")) {
      if (!word.isEmpty()) {
        v[Math.floorMod(word.hashCode(), dimension)] += 1;
      }
    }
    return Vectors.normalised(v);
  }
}
