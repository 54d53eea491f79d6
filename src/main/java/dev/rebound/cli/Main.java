package dev.rebound.cli;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code rebound}: the root command. Holds the global options every subcommand inherits and the
 * {@link CliEnvironment} they read. Tests run it in-process:
 *
 * <pre>{@code
 * int exit = new CommandLine(new Main(CliEnvironment.of(env, repoDir)))
 *     .setOut(out).setErr(err).execute("lint", "--no-status");
 * }</pre>
 */
@Command(
    name = "rebound",
    scope = ScopeType.INHERIT,
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = "Disaster-recovery assistant for production ML and data systems.",
    subcommands = {
      LintCommand.class,
      PlanCommand.class,
      RunbooksCommand.class,
      AssetsCommand.class,
      TokensCommand.class,
      ServeCommand.class,
      IndexCommand.class,
      SearchCommand.class,
      BenchCommand.class,
      AuditCommand.class,
      RunsCommand.class,
      DrillCommand.class
    },
    footerHeading = "%nExit codes:%n",
    footer = {
      "  0  ok",
      "  1  problems found, or the operation was refused",
      "  2  usage error",
      "",
      "Configuration: ./rebound.yaml, overridden by environment variables",
      "(DATABASE_URL, REBOUND_*). REBOUND_DEBUG=1 prints stack traces of failures."
    })
public final class Main implements Runnable {
  // No defaultValue attribute: picocli would refuse the default "runbooks" for being the name
  // of a subcommand. The field initializers are the defaults.
  @Option(
      names = "--runbooks",
      paramLabel = "DIR",
      scope = ScopeType.INHERIT,
      description = "Runbooks directory (default: runbooks).")
  String runbooks = "runbooks";

  @Option(
      names = "--knowledge",
      paramLabel = "DIR",
      scope = ScopeType.INHERIT,
      description = "Knowledge directory with assets.yaml and team.yaml (default: knowledge).")
  String knowledge = "knowledge";

  private CommandSpec spec;

  private final CliEnvironment environment;

  /** The real process: {@link CliEnvironment#system()}. */
  public Main() {
    this(CliEnvironment.system());
  }

  public Main(CliEnvironment environment) {
    this.environment = environment;
  }

  /**
   * Injected by picocli while it builds the command tree; the one hook that runs whoever builds
   * the {@code CommandLine} (the jar or a test). {@code --runbooks runbooks} must work although
   * "runbooks" is also a subcommand's name.
   */
  @Spec
  void spec(CommandSpec commandSpec) {
    this.spec = commandSpec;
    commandSpec.parser().allowSubcommandsAsOptionParameters(true);
  }

  CliEnvironment environment() {
    return environment;
  }

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "missing command");
  }

  public static void main(String[] args) {
    quietLibraryLogsUnlessServing(args);
    // UTF-8 whatever the locale: output has "…" and file names may not be ASCII.
    PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
    PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
    int exit = new CommandLine(new Main()).setOut(out).setErr(err).execute(args);
    out.flush();
    err.flush();
    System.exit(exit);
  }

  /**
   * Flyway and Vert.x log at INFO to stderr, which buries a one-shot command's own output; only
   * {@code serve} is a service whose logs people want. Must run before the first logger exists;
   * an explicit {@code -Dorg.slf4j.simpleLogger.defaultLogLevel} wins.
   */
  private static void quietLibraryLogsUnlessServing(String[] args) {
    String level = "org.slf4j.simpleLogger.defaultLogLevel";
    if (System.getProperty(level) == null && !Arrays.asList(args).contains("serve")) {
      System.setProperty(level, "warn");
    }
  }
}
