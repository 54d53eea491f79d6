package dev.rebound.cli;

import dev.rebound.app.Workspace;
import dev.rebound.config.ReboundConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Model.CommandSpec;

/**
 * What one command invocation works with: its output streams, the global options, the
 * configuration (loaded only when a command asks for it, so {@code assets impact} works with a
 * broken {@code DATABASE_URL}) and a way to open the database.
 */
final class CliContext {
  private final CliEnvironment environment;
  private final FileNames names;
  private final String runbooksOption;
  private final String knowledgeOption;
  private final PrintWriter out;
  private final PrintWriter err;
  private ReboundConfig config;

  private CliContext(CliEnvironment environment, String runbooks, String knowledge, PrintWriter out, PrintWriter err) {
    this.environment = environment;
    this.names = new FileNames(environment.workingDir());
    this.runbooksOption = runbooks;
    this.knowledgeOption = knowledge;
    this.out = out;
    this.err = err;
  }

  static CliContext of(CommandSpec spec) {
    Main root = (Main) spec.root().userObject();
    return new CliContext(root.environment(), root.runbooks, root.knowledge,
        spec.commandLine().getOut(), spec.commandLine().getErr());
  }

  PrintWriter out() {
    return out;
  }

  PrintWriter err() {
    return err;
  }

  FileNames names() {
    return names;
  }

  CliEnvironment environment() {
    return environment;
  }

  boolean debug() {
    return environment.debug();
  }

  Path runbooksDir() {
    return names.resolve(runbooksOption);
  }

  Path knowledgeDir() {
    return names.resolve(knowledgeOption);
  }

  /** Loaded on first use; {@code ConfigException} lists every bad value. */
  ReboundConfig config() {
    if (config == null) {
      config = ReboundConfig.load(environment.variables(), environment.workingDir());
    }
    return config;
  }

  Workspace workspace() {
    return new Workspace(config(), runbooksDir(), knowledgeDir());
  }

  /** A Vert.x instance and a pool for Rebound's database; close it (try-with-resources). */
  Db openDb(Duration timeout) {
    return Db.open(config().database(), timeout);
  }
}
