package dev.rebound.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PositionedYamlTest {
  @Test
  void aFileOverTheSizeLimitIsTooLargeAtItsStartNotMalformed() {
    String text = padded(PositionedYaml.MAX_CODE_POINTS + 1);

    assertThatThrownBy(() -> PositionedYaml.parse(text, "runbooks/huge.yaml"))
        .isInstanceOfSatisfying(YamlSyntaxException.class, e -> assertThat(e.problem().toString()).isEqualTo(
            "runbooks/huge.yaml:1:1: file is too large: 8388609 characters, the limit is 8388608"));
  }

  /** A small document, then a comment that brings it to {@code codePoints} characters (some beyond the BMP). */
  private static String padded(int codePoints) {
    String head = "id: big\n# ";
    StringBuilder text = new StringBuilder(head).append("\uD834\uDD1E".repeat(1000));
    text.append("x".repeat(codePoints - head.length() - 1000 - 1)).append('\n');
    assertThat(text.codePointCount(0, text.length())).isEqualTo(codePoints);
    return text.toString();
  }
}
