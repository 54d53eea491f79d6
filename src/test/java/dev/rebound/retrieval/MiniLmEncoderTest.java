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
 * valid under the same model name, and queries embedded one at a time meet chunks embedded in
 * batches.
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
      assertThat(MiniLmEmbedder.fullPrecision().embed(texts.get(i))).as(texts.get(i)).containsExactly(expected.get(i));
    }
  }
}
