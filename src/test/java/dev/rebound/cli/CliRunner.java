package dev.rebound.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/**
 * Runs {@code rebound} in-process, as the jar would, with an explicit environment and working
 * directory: nothing depends on the developer's own variables or current directory.
 */
final class CliRunner {
  static final Path REPO = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();
  /** Working directory of most tests: its rebound.yaml, runbooks/, knowledge/, bad/ (see its README). */
  static final Path FIXTURES = REPO.resolve("src/test/resources/cli-fixtures");

  private final CliEnvironment environment;

  private CliRunner(CliEnvironment environment) {
    this.environment = environment;
  }

  static CliRunner in(Path workingDir, Map<String, String> variables) {
    return new CliRunner(CliEnvironment.of(variables, workingDir));
  }

  CliRunner withLifetime(Lifetime lifetime) {
    return new CliRunner(environment.withLifetime(lifetime));
  }

  /** Variables with DATABASE_URL at a local port nobody listens on, plus {@code more}. */
  static Map<String, String> offline(Map<String, String> more) {
    Map<String, String> env = new HashMap<>(more);
    env.put("DATABASE_URL", "postgresql://rebound:rebound-local-pw@127.0.0.1:" + unusedPort() + "/rebound");
    return env;
  }

  static Map<String, String> offline() {
    return offline(Map.of());
  }

  Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = new CommandLine(new Main(environment))
        .setOut(new PrintWriter(out, true))
        .setErr(new PrintWriter(err, true))
        .execute(args);
    return new Result(exit, out.toString(), err.toString());
  }

  /** Like {@link #run} while the caller reads {@code out} as it grows (for {@code serve}). */
  int run(StringWriter out, StringWriter err, String... args) {
    return new CommandLine(new Main(environment))
        .setOut(new PrintWriter(out, true))
        .setErr(new PrintWriter(err, true))
        .execute(args);
  }

  static int unusedPort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  record Result(int exit, String out, String err) {
    List<String> outLines() {
      return out.lines().toList();
    }

    List<String> errLines() {
      return err.lines().toList();
    }

    @Override
    public String toString() {
      return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }
}
