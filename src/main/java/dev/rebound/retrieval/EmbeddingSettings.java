package dev.rebound.retrieval;

import dev.rebound.config.ModelSettings;
import dev.rebound.config.Secret;
import dev.rebound.error.ValidationException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Which embedding model to use. {@code REBOUND_EMBEDDING_MODEL} unset (or
 * {@code all-minilm-l6-v2}) means the in-process MiniLM model in full precision, so retrieval
 * works with no API key; {@code all-minilm-l6-v2-q} the same model with int8 weights (about
 * twice as fast, somewhat less accurate: see {@link MiniLmEmbedder}). Any other value names a model of the OpenAI-compatible endpoint configured by
 * {@code REBOUND_OPENAI_BASE_URL} and {@code REBOUND_OPENAI_API_KEY} (the chat model's endpoint).
 */
public record EmbeddingSettings(boolean quantized, Optional<String> remoteModel, Optional<String> baseUrl, Optional<Secret> apiKey) {
  public static final String VARIABLE = "REBOUND_EMBEDDING_MODEL";
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final int MAX_RETRIES = 2;

  /** The default in-process model when {@code remoteModel} is empty, else that remote model. */
  public EmbeddingSettings(Optional<String> remoteModel, Optional<String> baseUrl, Optional<Secret> apiKey) {
    this(false, remoteModel, baseUrl, apiKey);
  }

  /** The default in-process model ({@link MiniLmEmbedder#byDefault()}). */
  public static EmbeddingSettings inProcess() {
    return new EmbeddingSettings(false, Optional.empty(), Optional.empty(), Optional.empty());
  }

  /** @throws ValidationException when a remote model is named but no endpoint is configured */
  public static EmbeddingSettings from(Map<String, String> env, ModelSettings model) {
    String name = Optional.ofNullable(env.get(VARIABLE)).map(String::strip).orElse("");
    if (name.isEmpty() || name.equalsIgnoreCase(MiniLmEmbedder.MODEL)) {
      return inProcess();
    }
    if (name.equalsIgnoreCase(MiniLmEmbedder.QUANTIZED_MODEL)) {
      return new EmbeddingSettings(true, Optional.empty(), Optional.empty(), Optional.empty());
    }
    if (model.baseUrl().isEmpty()) {
      throw new ValidationException(VARIABLE + "=" + name + " needs REBOUND_OPENAI_BASE_URL (an OpenAI-compatible"
          + " endpoint ending in /v1); unset " + VARIABLE + " to use the in-process " + MiniLmEmbedder.MODEL);
    }
    return new EmbeddingSettings(false, Optional.of(name), model.baseUrl(), model.apiKey());
  }

  /** The embedder these settings describe; the in-process one is shared per JVM. */
  public Embedder create() {
    if (remoteModel.isEmpty()) {
      return quantized ? MiniLmEmbedder.quantized() : MiniLmEmbedder.fullPrecision();
    }
    return new OpenAiCompatibleEmbedder(baseUrl.orElseThrow(), apiKey.map(Secret::reveal).orElse(null),
        remoteModel.get(), TIMEOUT, MAX_RETRIES);
  }
}
