package dev.rebound.retrieval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Int8MatMulsTest {
  @Test
  void every_weight_product_of_minilm_is_rewritten_and_its_float_weights_dropped() throws IOException {
    byte[] model;
    try (InputStream in = getClass().getResourceAsStream("/" + MiniLmEmbedder.MODEL + ".onnx")) {
      model = in.readAllBytes();
    }

    Int8MatMuls.Result result = Int8MatMuls.rewrite(model);

    // 6 layers x (query, key, value, attention output, two feed-forward products)
    assertThat(result.quantized()).isEqualTo(36);
    // 36 float weight matrices (about 42 MB) replaced by int8 ones of a quarter the size
    assertThat(result.model().length).isLessThan(model.length - 25_000_000);
    String text = new String(result.model(), StandardCharsets.ISO_8859_1);
    assertThat(text).contains(Int8MatMuls.PREFIX + "35_DynamicQuantizeMatMul").contains("com.microsoft");
  }

  @Test
  void bytes_that_are_not_an_onnx_model_are_refused_with_the_reason() {
    assertThatThrownBy(() -> Int8MatMuls.rewrite("not a model at all".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("not an ONNX model");
  }
}
