package dev.rebound.retrieval.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import com.google.protobuf.UnknownFieldSet.Field;
import dev.rebound.retrieval.MiniLmEmbedder;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * How fast full-precision embedding can possibly be on these cores: the floating-point work
 * all-MiniLM-L6-v2 does per text, and the fp32 matrix-product rate ONNX Runtime reaches here on
 * the model's largest product (a feed-forward layer, 384 to 1,536, at the {@value #ROWS} padded
 * word pieces a batch of the encoder holds), a one-thread session per core as the encoder runs
 * them. The model is mostly such products; its other operators (softmax, layer norm, GELU) only
 * add time, so chunks/s at the ceiling rate is an upper bound the encoder cannot pass. Blocking.
 */
final class ComputeCeiling {
  static final int LAYERS = 6;
  static final int HIDDEN = 384;
  static final int INTERMEDIATE = 1536;
  private static final int ROWS = 256;
  private static final long WARM_UP_NS = 500_000_000L;
  private static final long MEASURE_NS = 2_000_000_000L;

  private ComputeCeiling() {}

  /**
   * Prints the work per chunk of {@code texts}, the rate {@code chunksPerSecond} of {@code model}
   * amounts to, and the chunks/s the fp32 ceiling of these cores allows.
   */
  static void print(List<String> texts, MiniLmEmbedder model, double chunksPerSecond, PrintWriter out) throws OrtException {
    int[] pieces = texts.stream().mapToInt(model::wordPieces).toArray();
    double perChunk = Arrays.stream(pieces).mapToDouble(ComputeCeiling::flops).average().orElse(0);
    double ceiling = gigaflopsPerSecond();
    out.printf(Locale.ROOT, "fp32 arithmetic: %.0f word pieces a chunk on average, %.2f GFLOP a chunk (padding not counted);"
            + " %s at %.0f chunks/s = %.0f GFLOP/s; fp32 ceiling of these %d cores (ONNX Runtime, %dx%d . %dx%d products,"
            + " a session per core) %.0f GFLOP/s = at most %.0f chunks/s in full precision%n",
        Arrays.stream(pieces).average().orElse(0), perChunk / 1e9, model.model(), chunksPerSecond,
        chunksPerSecond * perChunk / 1e9, Runtime.getRuntime().availableProcessors(), ROWS, HIDDEN, HIDDEN,
        INTERMEDIATE, ceiling, ceiling * 1e9 / perChunk);
  }

  /**
   * Floating-point operations (a multiply-add counts two) of all-MiniLM-L6-v2's encoder on one
   * text of {@code wordPieces}: per layer the four attention projections, the attention scores
   * and their weighted sum, and the two feed-forward products; the embedding lookup and the
   * element-wise operators are not counted.
   */
  static double flops(int wordPieces) {
    double n = wordPieces;
    double projections = 4 * n * HIDDEN * HIDDEN * 2;
    double attention = 2 * n * n * HIDDEN * 2;
    double feedForward = 2 * n * HIDDEN * INTERMEDIATE * 2;
    return LAYERS * (projections + attention + feedForward);
  }

  /** The fp32 GFLOP/s of {@code ROWS x HIDDEN . HIDDEN x INTERMEDIATE} products, a session per core, all running. */
  static double gigaflopsPerSecond() throws OrtException {
    int cores = Runtime.getRuntime().availableProcessors();
    OrtEnvironment environment = OrtEnvironment.getEnvironment();
    byte[] model = matMulModel(ROWS, HIDDEN, INTERMEDIATE, arbitrary(HIDDEN * INTERMEDIATE));
    ExecutorService pool = Executors.newFixedThreadPool(cores);
    List<OrtSession> sessions = new ArrayList<>();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(1);
      options.setInterOpNumThreads(1);
      options.addConfigEntry("session.intra_op.allow_spinning", "0");
      for (int c = 0; c < cores; c++) {
        sessions.add(environment.createSession(model, options));
      }
      List<Future<Long>> runs = new ArrayList<>();
      for (OrtSession session : sessions) {
        runs.add(pool.submit(() -> productsIn(environment, session)));
      }
      long products = 0;
      for (Future<Long> run : runs) {
        products += run.get();
      }
      return products * 2.0 * ROWS * HIDDEN * INTERMEDIATE / (MEASURE_NS / 1e9) / 1e9;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while measuring", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("measuring the matrix-product rate failed: " + e.getCause().getMessage(), e.getCause());
    } finally {
      pool.shutdownNow();
      for (OrtSession session : sessions) {
        session.close();
      }
    }
  }

  /** Products completed in {@link #MEASURE_NS} on {@code session}, after {@link #WARM_UP_NS} of untimed ones. */
  private static long productsIn(OrtEnvironment environment, OrtSession session) throws OrtException {
    FloatBuffer input = FloatBuffer.wrap(arbitrary(ROWS * HIDDEN));
    try (OnnxTensor x = OnnxTensor.createTensor(environment, input, new long[] {ROWS, HIDDEN})) {
      long start = System.nanoTime();
      while (System.nanoTime() - start < WARM_UP_NS) {
        session.run(Map.of("x", x)).close();
      }
      long products = 0;
      start = System.nanoTime();
      while (System.nanoTime() - start < MEASURE_NS) {
        session.run(Map.of("x", x)).close();
        products++;
      }
      return products;
    }
  }

  /** Arbitrary values in [-0.5, 0.5): the timing does not depend on them. */
  private static float[] arbitrary(int count) {
    float[] w = new float[count];
    for (int i = 0; i < count; i++) {
      w[i] = ((i * 7919) % 1000) / 1000f - 0.5f;
    }
    return w;
  }

  /**
   * An ONNX model of one product, {@code y = x . w}: input {@code x} (float, rows x inner), the
   * constant {@code w} (inner x columns, row-major), output {@code y}. Written as onnx.proto fields by number.
   */
  static byte[] matMulModel(int rows, int inner, int columns, float[] w) {
    ByteBuffer raw = ByteBuffer.allocate(w.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    raw.asFloatBuffer().put(w);
    UnknownFieldSet node = UnknownFieldSet.newBuilder()
        .addField(1, strings("x", "w"))
        .addField(2, strings("y"))
        .addField(4, strings("MatMul"))
        .build();
    UnknownFieldSet weight = UnknownFieldSet.newBuilder()
        .addField(1, Field.newBuilder().addVarint(inner).addVarint(columns).build())
        .addField(2, Field.newBuilder().addVarint(1).build()) // FLOAT
        .addField(8, strings("w"))
        .addField(9, Field.newBuilder().addLengthDelimited(ByteString.copyFrom(raw.array())).build())
        .build();
    UnknownFieldSet graph = UnknownFieldSet.newBuilder()
        .addField(1, embedded(node))
        .addField(2, strings("ceiling"))
        .addField(5, embedded(weight))
        .addField(11, embedded(valueInfo("x", rows, inner)))
        .addField(12, embedded(valueInfo("y", rows, columns)))
        .build();
    return UnknownFieldSet.newBuilder()
        .addField(1, Field.newBuilder().addVarint(8).build()) // ir_version
        .addField(7, embedded(graph))
        .addField(8, embedded(UnknownFieldSet.newBuilder().addField(2, Field.newBuilder().addVarint(13).build()).build()))
        .build()
        .toByteArray();
  }

  /** ValueInfoProto: a float tensor of {@code rows x columns}. */
  private static UnknownFieldSet valueInfo(String name, int rows, int columns) {
    UnknownFieldSet shape = UnknownFieldSet.newBuilder()
        .addField(1, Field.newBuilder()
            .addLengthDelimited(UnknownFieldSet.newBuilder().addField(1, Field.newBuilder().addVarint(rows).build()).build().toByteString())
            .addLengthDelimited(UnknownFieldSet.newBuilder().addField(1, Field.newBuilder().addVarint(columns).build()).build().toByteString())
            .build())
        .build();
    UnknownFieldSet tensor = UnknownFieldSet.newBuilder()
        .addField(1, Field.newBuilder().addVarint(1).build()) // elem_type FLOAT
        .addField(2, embedded(shape))
        .build();
    UnknownFieldSet type = UnknownFieldSet.newBuilder().addField(1, embedded(tensor)).build();
    return UnknownFieldSet.newBuilder().addField(1, strings(name)).addField(2, embedded(type)).build();
  }

  private static Field strings(String... values) {
    Field.Builder field = Field.newBuilder();
    for (String v : values) {
      field.addLengthDelimited(ByteString.copyFromUtf8(v));
    }
    return field.build();
  }

  private static Field embedded(UnknownFieldSet message) {
    return Field.newBuilder().addLengthDelimited(message.toByteString()).build();
  }
}
