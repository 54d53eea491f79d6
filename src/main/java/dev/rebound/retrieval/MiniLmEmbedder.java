package dev.rebound.retrieval;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;

/**
 * all-MiniLM-L6-v2 in process (langchain4j's packaged model files on ONNX Runtime; 384
 * dimensions, L2-normalised, no API key). Two builds of the same model, recorded in the index under their own names:
 * {@value #MODEL} (fp32, the default) and {@value #QUANTIZED_MODEL} (int8 weights, opt-in:
 * about twice as fast on these cores, but on the alert-to-runbook benchmark text recall@1 0.944
 * against 0.953, below the target the full model meets, and description 0.850 against 0.860).
 * Quantising the fp32 weights again does not close that gap reliably: per-channel int8 MatMuls
 * (int8 or uint8 weights, full or reduced range, sensitive layers left in fp32, activation outliers
 * moved into the weights SmoothQuant-style) gave vectors of cosine 0.993-0.998 to the full model's,
 * and text recall@1 0.925-0.944 on most variants (0.953 on one, not on its neighbours): the targets
 * sit at the full model's own scores, and int8 activations reorder near-tied sibling runbooks.
 * A model takes about 1.6 s to load,
 * so it is loaded once per JVM, on first use or {@link #warmUp()}, by a holder class; every instance shares it.
 *
 * <p>The ONNX session is ours, not langchain4j's default one: one intra-op thread, no spinning.
 * langchain4j's default session takes a thread per core for every text while its executor runs a
 * text per core as well, so two cores ran four busy threads (spinning when idle), which was
 * slowest of all on a shared machine. Here several texts run in parallel on {@link #EXECUTOR}
 * (a thread per core), one core each.
 *
 * <p>A single text ({@link #embed(String)}: a query, whose latency counts) runs on the caller's
 * thread in a second session with {@value #QUERY_THREADS} intra-op threads, no spinning, and, for
 * the full-precision model, with its weight products in int8 ({@link Int8MatMuls}, rewritten at
 * load, about 0.5-1 s once): the query embedding took half the time, and the whole search at 100k
 * chunks p95 22-25 against 27-31 ms ({@code bench scale --search-only}, back to back), for
 * vectors at cosine 0.995 to the full model's. Documents are still embedded in full precision, so
 * the index holds the full model's vectors, and on the alert-to-runbook benchmark every query
 * ranks first what it ranked first with full-precision queries (text recall@1 0.953, MRR 0.972,
 * description 0.860); with the documents in int8 too, a near tie flips (text recall@1 0.944).
 * Stored vectors all come from {@link #embed(List)}.
 *
 * <p>{@link MiniLmEncoder} runs the sessions: on the batch session, the vectors of langchain4j's encoder, bit for bit,
 * with each text tokenized once and, in full precision, texts of about the same length batched
 * into calls of up to {@value #BATCH_TOKENS} padded word pieces (with int8 weights a batch would
 * change the vectors: cosine 0.989 to the same text embedded alone, the quantisation range being
 * taken over the whole call). The tokenizer keeps the first 128 word pieces of a text (the length
 * the model was fine-tuned on); the runbook chunks average 52. Blocking; thread-safe.
 */
public final class MiniLmEmbedder implements Embedder {
  public static final String MODEL = "all-minilm-l6-v2";
  public static final String QUANTIZED_MODEL = "all-minilm-l6-v2-q";
  public static final int DIMENSION = 384;
  /** Padded word pieces per ONNX call for the full-precision model (see {@link MiniLmEncoder}). */
  private static final int BATCH_TOKENS = 256;
  /** Texts of growing length that {@link #warmUp()} embeds, the longest past 128 word pieces. */
  private static final int WARM_UP_TEXTS = 64;
  /** Intra-op threads of the session for single texts (queries). */
  static final int QUERY_THREADS = 2;

  private static final ExecutorService EXECUTOR = Executors.newFixedThreadPool(
      Runtime.getRuntime().availableProcessors(), runnable -> {
        Thread t = new Thread(runnable, "rebound-embedding");
        t.setDaemon(true);
        return t;
      });

  private static final class Holder {
    static final Model MODEL = new Model(MiniLmEmbedder.MODEL, 1, BATCH_TOKENS, false);
  }

  private static final class QuantizedHolder {
    static final Model MODEL = new Model(QUANTIZED_MODEL, 1, 0, false);
  }

  private static final class QueryHolder {
    static final Model MODEL = new Model(MiniLmEmbedder.MODEL, QUERY_THREADS, 0, true);
  }

  private static final class QuantizedQueryHolder {
    static final Model MODEL = new Model(QUANTIZED_MODEL, QUERY_THREADS, 0, false);
  }

  private final boolean quantized;

  private MiniLmEmbedder(boolean quantized) {
    this.quantized = quantized;
  }

  /** The default build: full precision ({@value #MODEL}), for retrieval quality. */
  public static MiniLmEmbedder byDefault() {
    return fullPrecision();
  }

  /** The int8 model ({@value #QUANTIZED_MODEL}). */
  public static MiniLmEmbedder quantized() {
    return new MiniLmEmbedder(true);
  }

  /** The full-precision model ({@value #MODEL}). */
  public static MiniLmEmbedder fullPrecision() {
    return new MiniLmEmbedder(false);
  }

  @Override
  public String model() {
    return quantized ? QUANTIZED_MODEL : MODEL;
  }

  private Model loaded() {
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
    return loaded().embed(texts.stream().map(t -> t.isBlank() ? "-" : t).toList());
  }

  /** One text on the query session, in int8 for the full-precision model (see the class comment): for queries, not for storing. */
  @Override
  public float[] embed(String text) {
    Model model = quantized ? QuantizedQueryHolder.MODEL : QueryHolder.MODEL;
    return model.embed(List.of(text.isBlank() ? "-" : text)).get(0);
  }

  /** The word pieces the model runs on for {@code text} (the tokenizer keeps at most 128); for measuring its work. */
  public int wordPieces(String text) {
    return loaded().encoder.wordPieces(text.isBlank() ? "-" : text);
  }

  /**
   * Loads both sessions now (they are otherwise loaded by the first embed of each kind) and runs
   * the batch session over texts of growing length, up to the tokenizer's 128 word pieces: ONNX
   * Runtime sizes its buffers for each new input shape when it first sees it, which otherwise
   * fell on the first indexing run (bench index, 452 runbook chunks: 85 chunks/s after a warm-up
   * on one short text, 108-128 after this one). About half a second of CPU; blocking.
   */
  public MiniLmEmbedder warmUp() {
    embed("warm up");
    embed(IntStream.rangeClosed(1, WARM_UP_TEXTS).mapToObj(i -> "warm up the model ".repeat(i)).toList());
    return this;
  }

  /** The model and tokenizer files packaged by langchain4j ({@code <name>.onnx}, {@code <name>-tokenizer.json}). */
  private static final class Model {
    private final MiniLmEncoder encoder;

    /** @param int8 run the weight products in int8 ({@link Int8MatMuls}) */
    Model(String name, int threads, int batchTokens, boolean int8) {
      OrtEnvironment environment = OrtEnvironment.getEnvironment();
      try (InputStream onnx = resource(name + ".onnx"); InputStream tokenizer = resource(name + "-tokenizer.json");
          OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
        options.setIntraOpNumThreads(Math.min(threads, Runtime.getRuntime().availableProcessors()));
        options.setInterOpNumThreads(1);
        options.addConfigEntry("session.intra_op.allow_spinning", "0");
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        byte[] model = onnx.readAllBytes();
        OrtSession session = environment.createSession(int8 ? Int8MatMuls.rewrite(model).model() : model, options);
        this.encoder = new MiniLmEncoder(environment, session, tokenizer, batchTokens);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the " + name + " model from the classpath", e);
      } catch (OrtException e) {
        throw new IllegalStateException("cannot load the " + name + " model into ONNX Runtime: " + e.getMessage(), e);
      }
    }

    private static InputStream resource(String file) throws IOException {
      InputStream in = MiniLmEmbedder.class.getResourceAsStream("/" + file);
      if (in == null) {
        throw new IOException(file + " is missing (langchain4j-embeddings-" + file.replaceFirst("(-tokenizer)?\\.[a-z]+$", "")
            + " on the classpath)");
      }
      return in;
    }

    List<float[]> embed(List<String> texts) {
      return encoder.embed(texts, EXECUTOR);
    }
  }
}
