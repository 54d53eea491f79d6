package dev.rebound.retrieval;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.UnknownFieldSet;
import com.google.protobuf.UnknownFieldSet.Field;
import com.google.protobuf.UnsafeByteOperations;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rewrites a full-precision ONNX graph so that every matrix product with a constant weight runs
 * in int8: the weights quantised once, per output column, and each product replaced by ONNX
 * Runtime's fused {@code com.microsoft.DynamicQuantizeMatMul}, which quantises its activations on
 * the fly (one scale per call) and runs the integer kernel. For single texts (queries), one scale
 * per call is one per text: a vector depends on its own text only.
 *
 * <p>Measured on all-minilm-l6-v2, the 107 alert texts of the alert-to-runbook benchmark, two
 * cores: query embedding p50 3.1-3.6 / p95 4.1-4.8 ms against 6.3-7.5 / 8.7-9.7 in full
 * precision, vectors at cosine 0.995 on average (0.991 at worst) to the full model's; retrieval
 * scores unchanged. langchain4j's int8 model (one scale per weight matrix) reaches cosine 0.972.
 * Quantising activations per token instead, with plain ONNX operators (twelve nodes a product,
 * which also defeat ONNX Runtime's fusions), gave cosine 0.998 but p50 4.3-4.9 ms.
 *
 * <p>The model is read and written as protobuf fields by number (ONNX's {@code onnx.proto}), so
 * fields this class does not touch pass through unchanged.
 */
final class Int8MatMuls {
  // onnx.proto field numbers
  private static final int MODEL_GRAPH = 7;
  private static final int MODEL_OPSET_IMPORT = 8;
  private static final int OPSET_DOMAIN = 1;
  private static final int OPSET_VERSION = 2;
  private static final int GRAPH_NODE = 1;
  private static final int GRAPH_INITIALIZER = 5;
  private static final int GRAPH_INPUT = 11;
  private static final int GRAPH_OUTPUT = 12;
  private static final int VALUE_INFO_NAME = 1;
  private static final int NODE_INPUT = 1;
  private static final int NODE_OUTPUT = 2;
  private static final int NODE_NAME = 3;
  private static final int NODE_OP_TYPE = 4;
  private static final int NODE_DOMAIN = 7;
  private static final int TENSOR_DIMS = 1;
  private static final int TENSOR_DATA_TYPE = 2;
  private static final int TENSOR_FLOAT_DATA = 4;
  private static final int TENSOR_NAME = 8;
  private static final int TENSOR_RAW_DATA = 9;
  private static final int FLOAT = 1;
  private static final int INT8 = 3;

  /** Prefix of every name this rewrite adds. */
  static final String PREFIX = "rebound_int8_";
  /** The domain of ONNX Runtime's own operators, and the version of it this rewrite uses. */
  private static final String MICROSOFT = "com.microsoft";
  private static final long MICROSOFT_VERSION = 1;

  private Int8MatMuls() {}

  /** The rewritten model, and how many products it quantised. */
  record Result(byte[] model, int quantized) {}

  /**
   * @throws IllegalArgumentException when {@code model} is not an ONNX model this rewrite
   *     understands (no graph, or a constant weight stored in a form it cannot read)
   */
  static Result rewrite(byte[] model) {
    UnknownFieldSet modelProto = parse(UnsafeByteOperations.unsafeWrap(model), "model"); // not copied: only read
    List<ByteString> graphs = modelProto.hasField(MODEL_GRAPH)
        ? modelProto.getField(MODEL_GRAPH).getLengthDelimitedList() : List.of();
    if (graphs.size() != 1) {
      throw new IllegalArgumentException("not an ONNX model: expected one graph, found " + graphs.size());
    }
    UnknownFieldSet graph = parse(graphs.get(0), "graph");

    Map<String, UnknownFieldSet> initializers = new HashMap<>();
    Map<String, ByteString> initializerBytes = new LinkedHashMap<>(); // by name, in the graph's order
    for (ByteString b : repeated(graph, GRAPH_INITIALIZER)) {
      UnknownFieldSet t = parse(b, "initializer");
      initializers.put(string(t, TENSOR_NAME), t);
      initializerBytes.put(string(t, TENSOR_NAME), b);
    }
    List<ByteString> nodes = new ArrayList<>();
    List<ByteString> added = new ArrayList<>();
    Set<String> read = new HashSet<>(); // the initializers the nodes kept as they were still read
    int quantized = 0;
    for (ByteString b : repeated(graph, GRAPH_NODE)) {
      UnknownFieldSet node = parse(b, "node");
      List<String> inputs = strings(node, NODE_INPUT);
      UnknownFieldSet weight = "MatMul".equals(string(node, NODE_OP_TYPE)) && domain(node).isEmpty() && inputs.size() == 2
          ? initializers.get(inputs.get(1)) : null;
      if (weight == null || longs(weight, TENSOR_DIMS).size() != 2 || dataType(weight) != FLOAT) {
        nodes.add(b);
        read.addAll(inputs);
        continue;
      }
      read.add(inputs.get(0));
      String p = PREFIX + quantized++ + "_";
      added.addAll(quantizedWeight(weight, p));
      nodes.add(quantizedProduct(p, inputs.get(0), strings(node, NODE_OUTPUT).get(0)));
    }
    if (quantized == 0) {
      return new Result(model, 0);
    }
    List<ByteString> kept = readInitializers(graph, initializerBytes, read);
    kept.addAll(added);

    UnknownFieldSet newGraph = UnknownFieldSet.newBuilder(graph)
        .clearField(GRAPH_NODE).addField(GRAPH_NODE, lengthDelimited(nodes))
        .clearField(GRAPH_INITIALIZER).addField(GRAPH_INITIALIZER, lengthDelimited(kept))
        .build();
    UnknownFieldSet.Builder newModel = UnknownFieldSet.newBuilder(modelProto)
        .clearField(MODEL_GRAPH).addField(MODEL_GRAPH, lengthDelimited(List.of(newGraph.toByteString())));
    if (!importsMicrosoftOperators(modelProto)) {
      newModel.mergeField(MODEL_OPSET_IMPORT, lengthDelimited(List.of(UnknownFieldSet.newBuilder()
          .addField(OPSET_DOMAIN, lengthDelimited(List.of(ByteString.copyFromUtf8(MICROSOFT))))
          .addField(OPSET_VERSION, Field.newBuilder().addVarint(MICROSOFT_VERSION).build())
          .build().toByteString())));
    }
    return new Result(newModel.build().toByteArray(), quantized);
  }

  /** {@code out = a x w} in int8, {@code p + "w8"} and {@code p + "column_scale"} being the weight's. */
  private static ByteString quantizedProduct(String p, String a, String out) {
    return UnknownFieldSet.newBuilder()
        .addField(NODE_INPUT, lengthDelimited(List.of(a, p + "w8", p + "column_scale").stream().map(ByteString::copyFromUtf8).toList()))
        .addField(NODE_OUTPUT, lengthDelimited(List.of(ByteString.copyFromUtf8(out))))
        .addField(NODE_NAME, lengthDelimited(List.of(ByteString.copyFromUtf8(p + "DynamicQuantizeMatMul"))))
        .addField(NODE_OP_TYPE, lengthDelimited(List.of(ByteString.copyFromUtf8("DynamicQuantizeMatMul"))))
        .addField(NODE_DOMAIN, lengthDelimited(List.of(ByteString.copyFromUtf8(MICROSOFT))))
        .build().toByteString();
  }

  /**
   * Of the graph's {@code initializers} (by name), those in {@code read} or listed as the graph's
   * inputs or outputs: the replaced float weights go.
   */
  private static List<ByteString> readInitializers(UnknownFieldSet graph, Map<String, ByteString> initializers,
      Set<String> read) {
    Set<String> wanted = new HashSet<>(read);
    for (int field : List.of(GRAPH_INPUT, GRAPH_OUTPUT)) {
      for (ByteString i : repeated(graph, field)) {
        wanted.add(string(parse(i, "value_info"), VALUE_INFO_NAME));
      }
    }
    List<ByteString> kept = new ArrayList<>();
    initializers.forEach((name, b) -> {
      if (wanted.contains(name)) {
        kept.add(b);
      }
    });
    return kept;
  }

  /** {@code w8} (int8, per output column) and {@code column_scale} (float) for a [K, N] weight. */
  private static List<ByteString> quantizedWeight(UnknownFieldSet weight, String p) {
    List<Long> dims = longs(weight, TENSOR_DIMS);
    int rows = Math.toIntExact(dims.get(0));
    int columns = Math.toIntExact(dims.get(1));
    float[] w = floats(weight, rows * columns);
    float[] scale = new float[columns];
    for (int k = 0; k < rows; k++) {
      for (int n = 0; n < columns; n++) {
        scale[n] = Math.max(scale[n], Math.abs(w[k * columns + n]));
      }
    }
    for (int n = 0; n < columns; n++) {
      scale[n] = scale[n] == 0 ? 1e-8f : scale[n] / 127f;
    }
    byte[] w8 = new byte[w.length];
    for (int k = 0; k < rows; k++) {
      for (int n = 0; n < columns; n++) {
        int i = k * columns + n;
        w8[i] = (byte) Math.max(-127, Math.min(127, Math.rint(w[i] / scale[n])));
      }
    }
    return List.of(tensor(p + "w8", INT8, dims, w8), tensor(p + "column_scale", FLOAT, List.of((long) columns), floatBytes(scale)));
  }

  private static float[] floats(UnknownFieldSet tensor, int count) {
    float[] out = new float[count];
    if (tensor.hasField(TENSOR_RAW_DATA)) {
      FloatBuffer raw = tensor.getField(TENSOR_RAW_DATA).getLengthDelimitedList().get(0)
          .asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
      if (raw.remaining() != count) {
        throw new IllegalArgumentException("weight " + string(tensor, TENSOR_NAME) + ": " + raw.remaining()
            + " floats for " + count + " elements");
      }
      raw.get(out);
      return out;
    }
    // float_data: packed (one length-delimited run) or one fixed32 per value
    Field data = tensor.hasField(TENSOR_FLOAT_DATA) ? tensor.getField(TENSOR_FLOAT_DATA) : Field.getDefaultInstance();
    FloatBuffer packed = ByteBuffer.allocate(0).asFloatBuffer();
    if (!data.getLengthDelimitedList().isEmpty()) {
      packed = data.getLengthDelimitedList().get(0).asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
    }
    if (packed.remaining() == count) {
      packed.get(out);
      return out;
    }
    if (data.getFixed32List().size() == count) {
      for (int i = 0; i < count; i++) {
        out[i] = Float.intBitsToFloat(data.getFixed32List().get(i));
      }
      return out;
    }
    throw new IllegalArgumentException("weight " + string(tensor, TENSOR_NAME) + " has no readable float data"
        + " (external data is not supported)");
  }

  private static ByteString tensor(String name, int dataType, List<Long> dims, byte[] raw) {
    UnknownFieldSet.Builder b = UnknownFieldSet.newBuilder();
    if (!dims.isEmpty()) {
      Field.Builder d = Field.newBuilder();
      dims.forEach(d::addVarint);
      b.addField(TENSOR_DIMS, d.build());
    }
    return b.addField(TENSOR_DATA_TYPE, Field.newBuilder().addVarint(dataType).build())
        .addField(TENSOR_NAME, lengthDelimited(List.of(ByteString.copyFromUtf8(name))))
        .addField(TENSOR_RAW_DATA, lengthDelimited(List.of(ByteString.copyFrom(raw))))
        .build().toByteString();
  }

  private static byte[] floatBytes(float[] values) {
    ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      b.putFloat(v);
    }
    return b.array();
  }

  private static boolean importsMicrosoftOperators(UnknownFieldSet model) {
    return repeated(model, MODEL_OPSET_IMPORT).stream()
        .anyMatch(b -> MICROSOFT.equals(string(parse(b, "opset_import"), OPSET_DOMAIN)));
  }

  private static String domain(UnknownFieldSet node) {
    String d = string(node, NODE_DOMAIN);
    return "ai.onnx".equals(d) ? "" : d;
  }

  private static int dataType(UnknownFieldSet tensor) {
    return longs(tensor, TENSOR_DATA_TYPE).stream().findFirst().orElse(0L).intValue();
  }

  /** Parsed with aliasing: the weights' bytes stay slices of the model's array, not copies. */
  private static UnknownFieldSet parse(ByteString bytes, String what) {
    try {
      CodedInputStream in = bytes.newCodedInput();
      in.enableAliasing(true);
      return UnknownFieldSet.newBuilder().mergeFrom(in).build();
    } catch (IOException e) { // InvalidProtocolBufferException: an array-backed input has no other
      throw new IllegalArgumentException("not an ONNX model: cannot read its " + what + ": " + e.getMessage(), e);
    }
  }

  private static List<ByteString> repeated(UnknownFieldSet message, int field) {
    return message.hasField(field) ? message.getField(field).getLengthDelimitedList() : List.of();
  }

  private static List<String> strings(UnknownFieldSet message, int field) {
    return repeated(message, field).stream().map(ByteString::toStringUtf8).toList();
  }

  private static String string(UnknownFieldSet message, int field) {
    List<String> all = strings(message, field);
    return all.isEmpty() ? "" : all.get(0);
  }

  /** Varint values of a field, packed or not (onnx.proto is proto2: repeated integers are not packed). */
  private static List<Long> longs(UnknownFieldSet message, int field) {
    if (!message.hasField(field)) {
      return List.of();
    }
    Field f = message.getField(field);
    List<Long> out = new ArrayList<>(f.getVarintList());
    for (ByteString packed : f.getLengthDelimitedList()) {
      try {
        CodedInputStream in = packed.newCodedInput();
        while (!in.isAtEnd()) {
          out.add(in.readInt64());
        }
      } catch (IOException e) {
        throw new IllegalArgumentException("not an ONNX model: a packed integer field does not read", e);
      }
    }
    return out;
  }

  private static Field lengthDelimited(List<ByteString> values) {
    Field.Builder f = Field.newBuilder();
    values.forEach(f::addLengthDelimited);
    return f.build();
  }
}
