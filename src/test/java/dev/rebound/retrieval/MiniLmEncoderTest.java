package dev.rebound.retrieval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The batched encoder must give langchain4j's vectors exactly: an index built before it stays
 * valid under the same model name. Queries, embedded one at a time in int8, must stay close to
 * them.
 */
class MiniLmEncoderTest {
  @Test
  void batched_and_single_texts_get_langchain4js_vectors_bit_for_bit() {
    List<String> texts = new ArrayList<>(List.of(
        "Feature store restore. Diagnosis: check the online store's replication lag",
        "KubePodCrashLooping",
        "-",
        "Café naïve résumé: “quotes”, ünïcödé, 日本語 and an emoji 🚀\tafter a tab\nand a newline",
        "kubectl rollout restart deployment/feature-store ".repeat(60), // beyond 128 word pieces
        "x".repeat(2000)));
    for (int i = 0; i < 20; i++) {
      texts.add("Runbook " + i + ". Step " + i + ": " + "restore the snapshot and verify the checksum ".repeat(i % 7 + 1));
    }
    List<float[]> expected = new AllMiniLmL6V2EmbeddingModel()
        .embedAll(texts.stream().map(TextSegment::from).toList()).content().stream().map(Embedding::vector).toList();

    List<float[]> batched = MiniLmEmbedder.fullPrecision().embed(texts);

    for (int i = 0; i < texts.size(); i++) {
      assertThat(batched.get(i)).as(texts.get(i)).containsExactly(expected.get(i));
    }
  }

  /**
   * A single text (a query) runs on the int8 rendering of the same weights ({@link
   * Int8MatMuls}): close to the full model's vector, which the documents it is compared with
   * have, yet computed differently (the rewrite is in effect).
   */
  @Test
  void a_single_text_gets_a_vector_close_to_the_full_models() {
    List<String> texts = List.of(
        "Feature store returns stale values after a failed backfill",
        "KubePodCrashLooping: pod is restarting 3 times / 10 minutes",
        "Prometheus operator in monitoring namespace isn't ready to reconcile controller resources.",
        "Café naïve résumé: “quotes”, ünïcödé, 日本語 and an emoji 🚀",
        "kubectl rollout restart deployment/feature-store ".repeat(60));
    List<float[]> full = MiniLmEmbedder.fullPrecision().embed(texts);
    for (int i = 0; i < texts.size(); i++) {
      float[] single = MiniLmEmbedder.fullPrecision().embed(texts.get(i));
      // 0.993-0.995 here; ONNX Runtime picks its integer kernel by CPU, so some margin
      assertThat(dot(single, full.get(i))).as(texts.get(i)).isGreaterThan(0.985).isLessThan(0.99999);
    }
  }

  private static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }
}
