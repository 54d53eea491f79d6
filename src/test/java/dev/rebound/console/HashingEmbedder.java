package dev.rebound.console;

import dev.rebound.retrieval.Embedder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A fast stand-in for MiniLM in the demo platform's own RAG service, which no console scenario
 * uses: words hashed into 384 buckets, L2-normalised. Rebound's retrieval keeps the real model, so
 * similar incidents and suggestions on screen are the real ones. Saves embedding the demo's
 * knowledge base on start.
 */
final class HashingEmbedder implements Embedder {
  private static final int DIMENSION = 384;

  @Override
  public String model() {
    return "all-minilm-l6-v2";
  }

  @Override
  public int dimension() {
    return DIMENSION;
  }

  @Override
  public List<float[]> embed(List<String> texts) {
    List<float[]> out = new ArrayList<>(texts.size());
    for (String text : texts) {
      float[] v = new float[DIMENSION];
      for (String word : text.toLowerCase(java.util.Locale.ROOT).split("\\W+")) {
        if (!word.isEmpty()) {
          v[Math.floorMod(java.util.Arrays.hashCode(word.getBytes(StandardCharsets.UTF_8)), DIMENSION)] += 1;
        }
      }
      double norm = 0;
      for (float x : v) {
        norm += x * x;
      }
      if (norm == 0) {
        v[0] = 1;
        norm = 1;
      }
      float scale = (float) (1 / Math.sqrt(norm));
      for (int i = 0; i < DIMENSION; i++) {
        v[i] *= scale;
      }
      out.add(v);
    }
    return out;
  }
}
