package dev.rebound.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SourceTextTest {
  @Test
  void utf8IsDecodedAsIs() throws YamlSyntaxException {
    String text = "title: Café ☕ 𝄞\nnext: ü\n";

    assertThat(SourceText.decode(text.getBytes(StandardCharsets.UTF_8), "f.yaml")).isEqualTo(text);
  }

  @Test
  void theFirstByteThatIsNotUtf8IsNamedWithItsLineAndColumn() {
    // A valid UTF-8 line, then one in Latin-1: its first bad byte is the tenth character of line 2.
    byte[] bytes = concat("title: é\n".getBytes(StandardCharsets.UTF_8),
        "summary: \u00ff and \u00e9\n".getBytes(StandardCharsets.ISO_8859_1));

    assertThatThrownBy(() -> SourceText.decode(bytes, "runbooks/x.yaml"))
        .isInstanceOfSatisfying(YamlSyntaxException.class, e -> assertThat(e.problem().toString()).isEqualTo(
            "runbooks/x.yaml:2:10: not UTF-8: byte 0xFF cannot start or continue a UTF-8 character;"
                + " save the file as UTF-8"));
  }

  @Test
  void aTruncatedCharacterAtTheEndIsNamedToo() {
    byte[] bytes = {'a', ':', ' ', (byte) 0xE2, (byte) 0x98};

    assertThatThrownBy(() -> SourceText.decode(bytes, "f.yaml"))
        .isInstanceOfSatisfying(YamlSyntaxException.class, e -> assertThat(e.problem().toString())
            .startsWith("f.yaml:1:4: not UTF-8: byte 0xE2"));
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] all = new byte[a.length + b.length];
    System.arraycopy(a, 0, all, 0, a.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
