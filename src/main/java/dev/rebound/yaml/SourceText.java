package dev.rebound.yaml;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HexFormat;

/**
 * The text of a source file (runbook, knowledge file, incident, drill scenario), which must be
 * UTF-8. Bytes that are not say where the first of them is: {@code Files.readString} only said
 * "Input length = 1", at the file's start, and an author saved in Latin-1 had to search the file.
 */
public final class SourceText {
  private SourceText() {}

  /** @throws YamlSyntaxException naming {@code displayName} and where, when the file cannot be read or decoded */
  public static String read(Path path, String displayName) throws YamlSyntaxException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(path);
    } catch (NoSuchFileException e) {
      throw new YamlSyntaxException(new YamlProblem(displayName, SourcePosition.START, "file not found"));
    } catch (IOException e) {
      throw new YamlSyntaxException(
          new YamlProblem(displayName, SourcePosition.START, "cannot read file: " + e.getMessage()));
    }
    return decode(bytes, displayName);
  }

  /** {@code bytes} as UTF-8, or the position of the first malformed sequence. */
  static String decode(byte[] bytes, String displayName) throws YamlSyntaxException {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    CoderResult result = decoder.decode(in, out, true);
    if (result.isError()) {
      throw new YamlSyntaxException(new YamlProblem(displayName, positionOf(out.flip()),
          "not UTF-8: byte 0x" + HexFormat.of().withUpperCase().toHexDigits(bytes[in.position()])
              + " cannot start or continue a UTF-8 character; save the file as UTF-8"));
    }
    decoder.flush(out);
    return out.flip().toString();
  }

  /** The position just after {@code before}, the text decoded up to the bad byte. */
  private static SourcePosition positionOf(CharSequence before) {
    int line = 1;
    int lineStart = 0;
    for (int i = 0; i < before.length(); i++) {
      if (before.charAt(i) == '\n') {
        line++;
        lineStart = i + 1;
      }
    }
    String lastLine = before.subSequence(lineStart, before.length()).toString();
    return new SourcePosition(line, lastLine.codePointCount(0, lastLine.length()) + 1);
  }
}
