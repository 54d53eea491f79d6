package dev.rebound.retrieval;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.openai.OpenAiEmbeddingModel;
import dev.rebound.error.UnavailableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Any OpenAI-compatible {@code /v1/embeddings} endpoint (OpenAI, Azure, vLLM, Ollama, LM
 * Studio) through langchain4j. Blocking: each call is an HTTP request bounded by
 * {@code timeout}, retried {@code maxRetries} times by langchain4j. The dimension is asked of
 * the endpoint once (one probe request) and cached. Vectors are re-normalised, since not every
 * server returns unit vectors and cosine ranking assumes nothing about it anyway.
 */
public final class OpenAiCompatibleEmbedder implements Embedder {
  private static final int BATCH = 64;

  private final OpenAiEmbeddingModel model;
  private final String modelName;
  private volatile Integer dimension;

  public OpenAiCompatibleEmbedder(String baseUrl, String apiKey, String modelName, Duration timeout, int maxRetries) {
    this.modelName = modelName;
    this.model = OpenAiEmbeddingModel.builder()
        .baseUrl(baseUrl)
        .apiKey(apiKey == null ? "none" : apiKey)
        .modelName(modelName)
        .timeout(timeout)
        .maxRetries(maxRetries)
        .maxSegmentsPerBatch(BATCH)
        .build();
  }

  /** {@code openai:<model name>}: the endpoint may change, the vectors' meaning may not. */
  @Override
  public String model() {
    return "openai:" + modelName;
  }

  @Override
  public int dimension() {
    Integer known = dimension;
    if (known == null) {
      known = embed("dimension probe").length;
      dimension = known;
    }
    return known;
  }

  @Override
  public List<float[]> embed(List<String> texts) {
    if (texts.isEmpty()) {
      return List.of();
    }
    List<TextSegment> segments = texts.stream().map(t -> TextSegment.from(t.isBlank() ? "-" : t)).toList();
    List<Embedding> embeddings;
    try {
      embeddings = model.embedAll(segments).content();
    } catch (RuntimeException e) {
      throw new UnavailableException("embedding endpoint failed for model " + modelName + ": "
          + String.valueOf(e.getMessage()).lines().findFirst().orElse(""), e);
    }
    List<float[]> out = new ArrayList<>(embeddings.size());
    for (Embedding e : embeddings) {
      out.add(Vectors.normalised(e.vector()));
    }
    if (dimension == null && !out.isEmpty()) {
      dimension = out.get(0).length;
    }
    return out;
  }
}
