package dev.rebound.retrieval.bench;

import ai.onnxruntime.OrtException;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.rebound.retrieval.Chunk;
import dev.rebound.retrieval.Chunker;
import dev.rebound.retrieval.Document;
import dev.rebound.retrieval.Embedder;
import dev.rebound.retrieval.MiniLmEmbedder;
import dev.rebound.retrieval.Terms;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The embedding baseline measured in the same run: the same chunk texts and alert queries
 * through langchain4j's stock all-MiniLM-L6-v2 (fp32, its default ONNX session), which is what
 * Rebound used before its own session, next to the configured embedder. Embedding only (no
 * inserts), so the two figures compare like with like; for the in-process model, with the
 * {@link ComputeCeiling} it runs against. Blocking.
 */
final class StockBaseline {
  private StockBaseline() {}

  static void print(List<Document> docs, List<String> queries, Embedder embedder, PrintWriter out) throws OrtException {
    Chunker chunker = new Chunker();
    List<String> texts = docs.stream().flatMap(d -> chunker.chunks(d).stream()).map(Chunk::embedText).toList();
    List<String> normalised = queries.stream().map(Terms::normaliseQuery).toList();
    AllMiniLmL6V2EmbeddingModel stock = new AllMiniLmL6V2EmbeddingModel();
    stock.embed("warm up");
    List<TextSegment> segments = texts.stream().map(TextSegment::from).toList();
    double ours = seconds(() -> embedder.embed(texts));
    double before = seconds(() -> stock.embedAll(segments));
    out.printf(Locale.ROOT, "embedding only, the same %d chunks: %s %.0f chunks/s; baseline langchain4j stock fp32 session"
        + " %.0f chunks/s%n", texts.size(), embedder.model(), texts.size() / ours, texts.size() / before);
    if (embedder instanceof MiniLmEmbedder model) {
      ComputeCeiling.print(texts, model, texts.size() / ours, out);
    }
    double[] oursMs = perQuery(normalised, embedder::embed);
    double[] beforeMs = perQuery(normalised, stock::embed);
    out.printf(Locale.ROOT, "query embedding, %d alert texts, p50/p95: %s %.1f/%.1f ms; baseline langchain4j stock fp32"
        + " %.1f/%.1f ms%n", normalised.size(), embedder.model(), Percentile.of(oursMs, 50), Percentile.of(oursMs, 95), Percentile.of(beforeMs, 50),
        Percentile.of(beforeMs, 95));
  }

  private static double seconds(Runnable work) {
    long t = System.nanoTime();
    work.run();
    return Math.max(1e-3, (System.nanoTime() - t) / 1e9);
  }

  private static double[] perQuery(List<String> queries, Consumer<String> embed) {
    double[] ms = new double[queries.size()];
    for (int i = 0; i < ms.length; i++) {
      String q = queries.get(i);
      ms[i] = seconds(() -> embed.accept(q)) * 1000;
    }
    Arrays.sort(ms);
    return ms;
  }
}
