package dev.rebound.retrieval;

import java.util.List;

/**
 * Turns texts into vectors. Implementations are thread-safe and <b>blocking</b> (ONNX inference
 * or an HTTP call): never call them on an event loop; use {@code executeBlocking}.
 *
 * <p>{@link #model()} and {@link #dimension()} are recorded in the index; an index built by
 * another model or dimension is refused until it is rebuilt, because vectors of two models are
 * not comparable.
 */
public interface Embedder {
  /** Stable name recorded in the index, e.g. {@code all-minilm-l6-v2}. */
  String model();

  int dimension();

  /**
   * One L2-normalised vector per text, in order. Idempotent; throws
   * {@link dev.rebound.error.UnavailableException} when a remote endpoint fails (retrying later
   * may help).
   */
  List<float[]> embed(List<String> texts);

  default float[] embed(String text) {
    return embed(List.of(text)).get(0);
  }
}
