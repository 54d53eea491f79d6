package dev.rebound.cli;

import dev.rebound.app.Workspace;
import dev.rebound.config.ReboundConfig;
import dev.rebound.error.NotFoundException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

  /**
   * This invocation with {@code defaults} for the environment variables it does not set: what it
   * sets explicitly still wins. The configuration is loaded anew from the result.
   */
  CliContext withDefaults(Map<String, String> defaults) {
    Map<String, String> variables = new HashMap<>(defaults);
    variables.putAll(environment.variables());
    return new CliContext(new CliEnvironment(variables, environment.workingDir(), environment.lifetime()),
        runbooksOption, knowledgeOption, out, err);
  }

  /** Loaded on first use; {@code ConfigException} lists every bad value. */
  ReboundConfig config() {
    if (config == null) {
      config = ReboundConfig.load(environment.variables(), environment.workingDir());
    }
    return config;
  }

  Workspace workspace() {
    requireDirectories();
    return new Workspace(config(), runbooksDir(), knowledgeDir());
  }

  /**
   * Fails, naming the working directory, when the runbooks or knowledge directory is missing.
   * Run from elsewhere than the repository root, commands would otherwise carry on with nothing:
   * empty lists with exit 0, and {@code index} removing every indexed document. Lint reports
   * missing directories as findings instead, and does not call this.
   */
  void requireDirectories() {
    List<String> missing = new ArrayList<>();
    if (!Files.isDirectory(runbooksDir())) {
      missing.add("runbooks directory '" + names.of(runbooksDir()) + "' (--runbooks)");
    }
    if (!Files.isDirectory(knowledgeDir())) {
      missing.add("knowledge directory '" + names.of(knowledgeDir()) + "' (--knowledge)");
    }
    if (!missing.isEmpty()) {
      throw new NotFoundException("no " + String.join(" and no ", missing) + " in "
          + environment.workingDir().toAbsolutePath().normalize()
          + ": run rebound from the repository root, or pass --runbooks DIR and --knowledge DIR");
    }
  }

  /** A Vert.x instance and a pool for Rebound's database; close it (try-with-resources). */
  Db openDb(Duration timeout) {
    return Db.open(config().database(), timeout);
  }
}
