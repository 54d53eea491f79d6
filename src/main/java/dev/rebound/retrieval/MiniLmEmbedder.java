package dev.rebound.retrieval;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import java.util.List;

/**
 * all-MiniLM-L6-v2 in process through langchain4j (ONNX, 384 dimensions, L2-normalised, no API
 * key), the default embedder. The model takes about 1.6 s to load, so it is loaded once per
 * JVM, on first use, by a holder class; every instance shares it. {@code embed} of several
 * texts runs them in parallel on langchain4j's executor (one thread per core). Cost grows with
 * text length (about 5 ms for a sentence on one core), which is why chunks stay short.
 *
 * <p>{@link #quantized()} is the same model with int8 weights ({@value #QUANTIZED_MODEL}): about
 * 2.5 times faster to embed on this machine's cores, vectors at cosine 0.99 to the full model's.
 * It is a different model for the index (vectors of the two are not mixed).
 *
 * <p>Measured and rejected: padded batches of similar-length texts in one ONNX call were no
 * faster on two cores than langchain4j's one-call-per-text, since the work is proportional to
 * the word pieces either way. Blocking; thread-safe.
 */
public final class MiniLmEmbedder implements Embedder {
  public static final String MODEL = "all-minilm-l6-v2";
  public static final String QUANTIZED_MODEL = "all-minilm-l6-v2-q";
  public static final int DIMENSION = 384;

  private static final class Holder {
    static final AllMiniLmL6V2EmbeddingModel MODEL = new AllMiniLmL6V2EmbeddingModel();
  }

  private static final class QuantizedHolder {
    static final AllMiniLmL6V2QuantizedEmbeddingModel MODEL = new AllMiniLmL6V2QuantizedEmbeddingModel();
  }

  private final boolean quantized;

  /** The full-precision model, the default. */
  public MiniLmEmbedder() {
    this(false);
  }

  private MiniLmEmbedder(boolean quantized) {
    this.quantized = quantized;
  }

  /** The int8 model ({@value #QUANTIZED_MODEL}). */
  public static MiniLmEmbedder quantized() {
    return new MiniLmEmbedder(true);
  }

  @Override
  public String model() {
    return quantized ? QUANTIZED_MODEL : MODEL;
  }

  private EmbeddingModel loaded() {
    return quantized ? QuantizedHolder.MODEL : Holder.MODEL;
  }

  @Override
  public int dimension() {
    return DIMENSION;
  }

  @Override
  public List<float[]> embed(List<String> texts) {
    if (texts.isEmpty()) {
      return List.of();
    }
    List<TextSegment> segments = texts.stream().map(t -> TextSegment.from(t.isBlank() ? "-" : t)).toList();
    return loaded().embedAll(segments).content().stream().map(Embedding::vector).toList();
  }

  /** Loads the model now (it is otherwise loaded by the first embed); blocking. */
  public MiniLmEmbedder warmUp() {
    embed("warm up");
    return this;
  }
}
