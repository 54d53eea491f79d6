package dev.rebound.demo;

import dev.rebound.retrieval.Embedder;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * The RAG service's two embedding models. {@value #MINILM} is the in-process MiniLM;
 * {@value #BGE} is a stand-in: the MiniLM vector under a fixed random signed permutation, so it has
 * the same dimension and self-consistent scores but near-zero similarity to MiniLM vectors. Mixing
 * the two therefore fails silently, with low retrieval scores and no error, as in real life.
 * Blocking; thread-safe.
 */
final class DemoEmbedders {
  static final String MINILM = "all-minilm-l6-v2";
  static final String BGE = "bge-small-en-v1.5";
  static final Set<String> MODELS = Set.of(MINILM, BGE);
  static final int DIMENSIONS = 384;

  private final Embedder base;
  private final int[] permutation = new int[DIMENSIONS];
  private final float[] signs = new float[DIMENSIONS];

  DemoEmbedders(Embedder base) {
    if (base.dimension() != DIMENSIONS) {
      throw new IllegalArgumentException("the demo's index has " + DIMENSIONS + " dimensions, the embedder "
          + base.dimension());
    }
    this.base = base;
    Random random = new Random(20250301L);
    for (int i = 0; i < DIMENSIONS; i++) {
      permutation[i] = i;
    }
    for (int i = DIMENSIONS - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = permutation[i];
      permutation[i] = permutation[j];
      permutation[j] = t;
    }
    for (int i = 0; i < DIMENSIONS; i++) {
      signs[i] = random.nextBoolean() ? 1f : -1f;
    }
  }

  /** One vector per text with {@code model}; the caller checked the name against {@link #MODELS}. */
  List<float[]> embed(String model, List<String> texts) {
    List<float[]> vectors = base.embed(texts);
    if (MINILM.equals(model)) {
      return vectors;
    }
    if (!BGE.equals(model)) {
      throw new IllegalArgumentException("unknown embedding model " + model);
    }
    return vectors.stream().map(this::permuted).toList();
  }

  float[] embed(String model, String text) {
    return embed(model, List.of(text)).get(0);
  }

  private float[] permuted(float[] v) {
    float[] out = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = signs[i] * v[permutation[i]];
    }
    return out;
  }
}
