package dev.rebound.testing;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * What this process writes to {@code System.err} while open, which is where slf4j-simple logs (it
 * looks System.err up at every line). Closing restores the stream and echoes what was captured,
 * so a failing test's output still shows it.
 */
public final class CapturedStderr implements AutoCloseable {
  private final PrintStream original = System.err;
  private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

  private CapturedStderr() {
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
  }

  public static CapturedStderr start() {
    return new CapturedStderr();
  }

  public List<String> lines() {
    return captured.toString(StandardCharsets.UTF_8).lines().toList();
  }

  @Override
  public void close() {
    System.setErr(original);
    original.print(captured.toString(StandardCharsets.UTF_8));
  }
}
