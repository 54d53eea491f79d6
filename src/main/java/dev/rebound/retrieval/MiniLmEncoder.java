package dev.rebound.retrieval;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * A BERT sentence encoder on one ONNX session: texts to mean-pooled, L2-normalised vectors, the
 * same vectors as langchain4j's {@code OnnxBertBiEncoder} computes, bit for bit (the same
 * tokenizer file and settings, so at most 128 word pieces as all-MiniLM-L6-v2's
 * {@code tokenizer.json} truncates; the same float summation order), at less cost:
 * <ul>
 *   <li>each text is tokenized once (langchain4j tokenizes it three times: to split it into 510-piece
 *       partitions, which the 128-piece truncation makes a single one, then to check the rebuilt text);
 *   <li>with {@code batchTokens > 0}, several texts of about the same length run in one ONNX call,
 *       padded to the longest and masked: each call streams the model's 40 MB of weights through
 *       the core once for all of them instead of once per text. Measured on two cores (fp32,
 *       the 452 runbook chunks, 52 word pieces on average): one text per call 65-77 texts per
 *       CPU-second, up to 256 padded word pieces per call 76-84, 1,024 or more slower again (the
 *       activations no longer fit the core's cache). Padding with the attention mask leaves the
 *       real tokens' outputs unchanged (identical vectors on those chunks). Not for int8 weights:
 *       their activations are quantised over the whole call, so a batch changes every vector.
 * </ul>
 * Thread-safe: texts run in parallel on the given executor, a single one on the caller's thread.
 */
final class MiniLmEncoder {
  private final OrtEnvironment environment;
  private final OrtSession session;
  private final HuggingFaceTokenizer tokenizer;
  private final boolean typeIds;
  private final int batchTokens;

  /**
   * @param batchTokens the padded word pieces (texts x longest) one ONNX call may take; 0 for one
   *     text per call
   */
  MiniLmEncoder(OrtEnvironment environment, OrtSession session, InputStream tokenizerJson, int batchTokens)
      throws IOException, OrtException {
    this.environment = environment;
    this.session = session;
    this.tokenizer = HuggingFaceTokenizer.newInstance(tokenizerJson, Map.of("padding", "false"));
    this.typeIds = session.getInputNames().contains("token_type_ids");
    this.batchTokens = batchTokens;
  }

  List<float[]> embed(List<String> texts, ExecutorService executor) {
    if (texts.size() == 1) {
      return run(List.of(encode(texts.get(0))));
    }
    List<long[]> ids = encodeAll(texts, executor);
    Integer[] order = new Integer[ids.size()];
    Arrays.setAll(order, i -> i);
    Arrays.sort(order, Comparator.comparingInt(i -> ids.get(i).length));
    List<List<Integer>> batches = new ArrayList<>();
    List<Integer> current = new ArrayList<>();
    for (int i : order) {
      // Ascending lengths: the text added is the batch's longest.
      if (!current.isEmpty() && (current.size() + 1) * ids.get(i).length > batchTokens) {
        batches.add(current);
        current = new ArrayList<>();
      }
      current.add(i);
    }
    batches.add(current);
    List<Future<List<float[]>>> runs = new ArrayList<>();
    for (List<Integer> batch : batches) {
      runs.add(executor.submit(() -> run(batch.stream().map(ids::get).toList())));
    }
    float[][] out = new float[texts.size()][];
    for (int b = 0; b < batches.size(); b++) {
      List<float[]> vectors = join(runs.get(b));
      for (int k = 0; k < vectors.size(); k++) {
        out[batches.get(b).get(k)] = vectors.get(k);
      }
    }
    return Arrays.asList(out);
  }

  /** The word-piece ids of every text, tokenized in parallel (a slice per thread of the executor). */
  private List<long[]> encodeAll(List<String> texts, ExecutorService executor) {
    int slices = Math.min(texts.size(), Runtime.getRuntime().availableProcessors());
    List<Future<List<long[]>>> parts = new ArrayList<>();
    for (int s = 0; s < slices; s++) {
      List<String> slice = texts.subList(s * texts.size() / slices, (s + 1) * texts.size() / slices);
      parts.add(executor.submit(() -> slice.stream().map(this::encode).toList()));
    }
    List<long[]> ids = new ArrayList<>(texts.size());
    parts.forEach(p -> ids.addAll(join(p)));
    return ids;
  }

  /** The word pieces the model runs on for {@code text}, at most 128. */
  int wordPieces(String text) {
    return encode(text).length;
  }

  private long[] encode(String text) {
    return NativeCalls.DEFAULT.call(() -> tokenizer.encode(text, true, false).getIds());
  }

  /** One ONNX call for {@code batch} (padded to its longest text, masked); a vector per text. */
  private List<float[]> run(List<long[]> batch) {
    return NativeCalls.DEFAULT.call(() -> runNative(batch));
  }

  private List<float[]> runNative(List<long[]> batch) {
    int rows = batch.size();
    int length = batch.stream().mapToInt(t -> t.length).max().orElseThrow();
    long[] ids = new long[rows * length];
    long[] mask = new long[rows * length];
    for (int r = 0; r < rows; r++) {
      long[] text = batch.get(r);
      System.arraycopy(text, 0, ids, r * length, text.length);
      Arrays.fill(mask, r * length, r * length + text.length, 1L);
    }
    long[] shape = {rows, length};
    try (OnnxTensor idsTensor = OnnxTensor.createTensor(environment, LongBuffer.wrap(ids), shape);
        OnnxTensor maskTensor = OnnxTensor.createTensor(environment, LongBuffer.wrap(mask), shape);
        OnnxTensor typesTensor = OnnxTensor.createTensor(environment, LongBuffer.wrap(new long[rows * length]), shape)) {
      Map<String, OnnxTensor> inputs = new HashMap<>();
      inputs.put("input_ids", idsTensor);
      inputs.put("attention_mask", maskTensor);
      if (typeIds) {
        inputs.put("token_type_ids", typesTensor);
      }
      try (OrtSession.Result result = session.run(inputs)) {
        FloatBuffer hidden = ((OnnxTensor) result.get(0)).getFloatBuffer();
        int dimension = hidden.capacity() / (rows * length);
        List<float[]> out = new ArrayList<>(rows);
        for (int r = 0; r < rows; r++) {
          out.add(meanPooled(hidden, r * length * dimension, batch.get(r).length, dimension));
        }
        return out;
      }
    } catch (OrtException e) {
      throw new IllegalStateException("ONNX Runtime failed to embed: " + e.getMessage(), e);
    }
  }

  /** The mean of {@code tokens} rows from {@code offset}, L2-normalised; in float, in langchain4j's order. */
  private static float[] meanPooled(FloatBuffer hidden, int offset, int tokens, int dimension) {
    float[] mean = new float[dimension];
    for (int t = 0; t < tokens; t++) {
      int row = offset + t * dimension;
      for (int j = 0; j < dimension; j++) {
        mean[j] += hidden.get(row + j);
      }
    }
    float sumSquare = 0;
    for (int j = 0; j < dimension; j++) {
      mean[j] /= tokens;
      sumSquare += mean[j] * mean[j];
    }
    float norm = (float) Math.sqrt(sumSquare);
    for (int j = 0; j < dimension; j++) {
      mean[j] /= norm;
    }
    return mean;
  }

  private static <T> T join(Future<T> future) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while embedding", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    }
  }
}
