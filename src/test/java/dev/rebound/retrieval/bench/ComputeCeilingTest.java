package dev.rebound.retrieval.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ComputeCeilingTest {
  /** The ceiling is only a rate of products if the model it times multiplies. */
  @Test
  void the_timed_model_computes_the_matrix_product() throws Exception {
    float[] w = {1, 2, 3, 4, 5, 6}; // 3 x 2
    float[] x = {1, 0, 2, -1, 1, 0}; // 2 x 3
    OrtEnvironment environment = OrtEnvironment.getEnvironment();
    try (OrtSession session = environment.createSession(ComputeCeiling.matMulModel(2, 3, 2, w));
        OnnxTensor input = OnnxTensor.createTensor(environment, FloatBuffer.wrap(x), new long[] {2, 3});
        OrtSession.Result result = session.run(Map.of("x", input))) {
      float[][] y = (float[][]) result.get(0).getValue();
      assertThat(y[0]).containsExactly(1 * 1 + 0 * 3 + 2 * 5, 1 * 2 + 0 * 4 + 2 * 6);
      assertThat(y[1]).containsExactly(-1 * 1 + 1 * 3 + 0 * 5, -1 * 2 + 1 * 4 + 0 * 6);
    }
  }

  /**
   * Per word piece, two operations for each weight of the encoder's products (6 layers of four
   * 384x384 attention projections and the 384x1536 and 1536x384 feed-forward layers: 10,616,832
   * weights), plus the attention over the text, which grows with its square.
   */
  @Test
  void the_work_per_text_is_two_operations_a_weight_a_word_piece_plus_the_attention() {
    double weights = 10_616_832;
    assertThat(ComputeCeiling.flops(1)).isCloseTo(2 * weights + 6 * 2 * 384 * 2, within(1e-3));
    double attentionAt128 = 6 * 2 * 128.0 * 128 * 384 * 2;
    assertThat(ComputeCeiling.flops(128)).isCloseTo(128 * 2 * weights + attentionAt128, within(1.0));
  }
}
