package dev.rebound.retrieval;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An {@link Embedder} that remembers what it embedded (kept with the embedders: the demo and
 * {@code bench index} use it). The demo embeds the same knowledge base and
 * the same twenty questions again on every reset; with the cache a reset costs inserts, not
 * inference. {@link #sharedMiniLm()} is the one the demo uses by default: like the MiniLM model
 * itself, which is loaded once per JVM, its cache (of a pure function) is shared by every platform
 * of the process, so a second platform (a test, a restarted demo) embeds nothing again.
 * Blocking on a miss, like the embedder it wraps; thread-safe. Vectors are returned as copies.
 */
public final class CachingEmbedder implements Embedder {
  private static final int MAX_ENTRIES = 20_000;

  private static final class Shared {
    static final CachingEmbedder MINILM = new CachingEmbedder(MiniLmEmbedder.fullPrecision());
  }

  /** The process-wide cache around the in-process MiniLM. */
  public static CachingEmbedder sharedMiniLm() {
    return Shared.MINILM;
  }

  private final Embedder delegate;
  private final Map<String, float[]> cache = new ConcurrentHashMap<>();

  public CachingEmbedder(Embedder delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  @Override
  public String model() {
    return delegate.model();
  }

  @Override
  public int dimension() {
    return delegate.dimension();
  }

  @Override
  public List<float[]> embed(List<String> texts) {
    List<String> missing = texts.stream().filter(t -> !cache.containsKey(t)).distinct().toList();
    if (!missing.isEmpty()) {
      List<float[]> fresh = delegate.embed(missing);
      if (cache.size() + missing.size() > MAX_ENTRIES) {
        cache.clear();
      }
      for (int i = 0; i < missing.size(); i++) {
        cache.put(missing.get(i), fresh.get(i));
      }
    }
    List<float[]> out = new ArrayList<>(texts.size());
    for (String text : texts) {
      float[] v = cache.get(text);
      out.add(v == null ? delegate.embed(text).clone() : v.clone());
    }
    return out;
  }
}
