package dev.rebound.retrieval.bench;

import dev.rebound.retrieval.Embedder;
import dev.rebound.retrieval.Vectors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Synthetic chunks for the scale benchmark, made to sit where real text embeddings sit.
 *
 * <p>Vectors: the model's embeddings of the real chunks plus {@link #GENERATED} generated texts
 * (three to six sentences drawn from different runbooks) are the bases; each filler vector is a
 * weighted mix of two bases with a little noise (cosine about 0.97 to the mix), i.e. a chunk
 * that talks about two things. Uniformly random vectors, or wide isotropic noise around the real
 * embeddings (what this benchmark used before), have no low-dimensional structure at all and make
 * HNSW's recall look far worse than on text; they remain as the pessimistic query set
 * ({@link #nearReal}).
 *
 * <p>Text: words drawn from the runbooks' vocabulary, so the full-text side has realistic work.
 */
final class ScaleFiller {
  static final int GENERATED = 1000;

  private final float[][] real;
  private final float[][] bases;
  private final String[] vocabulary;

  private ScaleFiller(float[][] real, float[][] bases, String[] vocabulary) {
    this.real = real;
    this.bases = bases;
    this.vocabulary = vocabulary;
  }

  /** Embeds the generated texts (blocking; about {@value #GENERATED} short texts). */
  static ScaleFiller create(AlertRunbookData set, float[][] real, Embedder embedder, Random random) {
    List<String> sentences = set.runbooks().stream()
        .flatMap(r -> Arrays.stream(r.text().split("(?<=[.!?])\\s+|\\n+")))
        .map(String::strip).filter(s -> s.length() > 30 && s.length() < 300).toList();
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < GENERATED; i++) {
      StringBuilder sb = new StringBuilder();
      for (int n = 3 + random.nextInt(4); n > 0; n--) {
        sb.append(sentences.get(random.nextInt(sentences.size()))).append(' ');
      }
      texts.add(sb.toString().strip());
    }
    List<float[]> generated = embedder.embed(texts);
    float[][] bases = new float[real.length + generated.size()][];
    System.arraycopy(real, 0, bases, 0, real.length);
    for (int i = 0; i < generated.size(); i++) {
      bases[real.length + i] = generated.get(i);
    }
    return new ScaleFiller(real, bases, vocabulary(set));
  }

  /** Every word of the runbooks, as often as it occurs there (so words drawn from it are as common as in the runbooks). */
  static String[] vocabulary(AlertRunbookData set) {
    return set.runbooks().stream()
        .flatMap(r -> Arrays.stream(r.text().toLowerCase(Locale.ROOT).split("[^a-z]+")))
        .filter(w -> w.length() > 2).toArray(String[]::new);
  }

  /** {@code n} words drawn from {@code vocabulary}, separated by spaces. */
  static String words(String[] vocabulary, Random random, int n) {
    StringBuilder sb = new StringBuilder();
    for (int w = 0; w < n; w++) {
      sb.append(w == 0 ? "" : " ").append(vocabulary[random.nextInt(vocabulary.length)]);
    }
    return sb.toString();
  }

  /** A filler chunk's vector: two bases mixed, with noise at cosine about 0.97. */
  float[] vector(Random random) {
    float[] a = bases[random.nextInt(bases.length)];
    float[] b = bases[random.nextInt(bases.length)];
    double w = random.nextDouble();
    float[] v = new float[a.length];
    double noise = 0.25 / Math.sqrt(a.length);
    for (int d = 0; d < v.length; d++) {
      v[d] = (float) (w * a[d] + (1 - w) * b[d] + random.nextGaussian() * noise);
    }
    return Vectors.normalised(v);
  }

  /** A filler chunk's text: 20 to 80 words of the runbooks' vocabulary. */
  String text(Random random) {
    return words(vocabulary, random, 20 + random.nextInt(60));
  }

  /** A pessimistic query: a real chunk's embedding with wide isotropic noise (cosine about 0.7 to it). */
  float[] nearReal(Random random) {
    float[] centroid = real[random.nextInt(real.length)];
    float[] v = new float[centroid.length];
    double scale = 1.0 / Math.sqrt(centroid.length);
    for (int d = 0; d < v.length; d++) {
      v[d] = (float) (centroid[d] + random.nextGaussian() * scale);
    }
    return Vectors.normalised(v);
  }
}
