package dev.rebound.cli;

import java.nio.file.Path;
import java.util.Map;

/**
 * What a command reads from its surroundings: environment variables (configuration, {@code
 * REBOUND_DEBUG}), the working directory (relative paths and {@code ./rebound.yaml} resolve
 * against it, and file names are printed relative to it) and how {@code serve} is stopped.
 * {@link #system()} is the real process; tests pass their own, so no command reads global state.
 */
public record CliEnvironment(Map<String, String> variables, Path workingDir, Lifetime lifetime) {
  public CliEnvironment {
    variables = Map.copyOf(variables);
    workingDir = workingDir.toAbsolutePath().normalize();
  }

  /** This process: {@code System.getenv()}, the current directory, stopped by SIGTERM/SIGINT. */
  public static CliEnvironment system() {
    return new CliEnvironment(System.getenv(), Path.of(""), Lifetime.untilJvmShutdown());
  }

  /** Given variables and working directory; {@code serve} runs until the JVM shuts down. */
  public static CliEnvironment of(Map<String, String> variables, Path workingDir) {
    return new CliEnvironment(variables, workingDir, Lifetime.untilJvmShutdown());
  }

  public CliEnvironment withLifetime(Lifetime other) {
    return new CliEnvironment(variables, workingDir, other);
  }

  /** {@code REBOUND_DEBUG=1}: print stack traces of failures. */
  public boolean debug() {
    return "1".equals(variables.get("REBOUND_DEBUG"));
  }
}
