package dev.rebound.engine.action;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.audit.Masker;
import dev.rebound.engine.target.Deadline;
import dev.rebound.engine.target.TargetJson;
import dev.rebound.runbook.Action;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * {@code type: command}: an executable under the scripts directory, run with an argv array via
 * {@link ProcessBuilder}, never through a shell, so an argument such as {@code ; rm -rf /} is one
 * literal argument.
 *
 * <ul>
 *   <li>The command must resolve, after following symlinks, to an executable regular file inside
 *       the scripts directory ({@link Scripts}).
 *   <li>The environment is cleared, then holds only {@code PATH=/usr/bin:/bin},
 *       {@code LANG=C.UTF-8} and the variables the action lists in {@code env}, with their
 *       {@code template_env} values (secret ones included: only executors see real values).
 *       Names that change how interpreters behave ({@code PATH}, {@code LD_*}, {@code BASH_ENV}…)
 *       cannot be listed.
 *   <li>The working directory is Rebound's working directory (where it was started, the one
 *       relative paths in {@code rebound.yaml} and {@code file:} artifact URIs are relative to),
 *       not the scripts directory.
 *   <li>stdin is empty; stdout and stderr are captured, each up to {@link #DEFAULT_OUTPUT_LIMIT}
 *       bytes, the rest dropped with a marker.
 *   <li>On timeout (or interruption) the process and all its descendants are killed with SIGKILL,
 *       and the failure says the outcome is unknown.
 * </ul>
 *
 * Exit code 0 succeeds; {@value #EX_TEMPFAIL} (EX_TEMPFAIL from sysexits.h) is a retryable
 * failure, any other code a failure retrying cannot fix. Output: {@code exit_code}, {@code stdout}
 * and, when stdout is one JSON object, its top-level fields.
 */
public final class CommandActionExecutor implements ActionExecutor {
  public static final int DEFAULT_OUTPUT_LIMIT = 64 * 1024;
  public static final int EX_TEMPFAIL = 75;
  static final String PATH = "/usr/bin:/bin";
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final Set<String> FORBIDDEN = Set.of(
      "PATH", "LANG", "BASH_ENV", "ENV", "SHELLOPTS", "BASHOPTS", "IFS", "CDPATH", "PS4", "GLOBIGNORE");
  private static final long DRAIN_GRACE_MILLIS = 2000;

  private final Path scriptsDir;
  private final Path workingDir;
  private final Map<String, String> templateEnvValues;
  private final Masker masker;
  private final int outputLimit;

  public CommandActionExecutor(Path scriptsDir, Path workingDir, Map<String, String> templateEnvValues, Masker masker) {
    this(scriptsDir, workingDir, templateEnvValues, masker, DEFAULT_OUTPUT_LIMIT);
  }

  public CommandActionExecutor(
      Path scriptsDir, Path workingDir, Map<String, String> templateEnvValues, Masker masker, int outputLimit) {
    this.scriptsDir = Objects.requireNonNull(scriptsDir, "scriptsDir");
    this.workingDir = Objects.requireNonNull(workingDir, "workingDir").toAbsolutePath();
    this.templateEnvValues = Collections.unmodifiableMap(new LinkedHashMap<>(templateEnvValues));
    this.masker = Objects.requireNonNull(masker, "masker");
    this.outputLimit = outputLimit;
  }

  @Override
  public ActionOutcome execute(Action rendered, ActionContext ctx) throws ActionFailedException {
    if (!(rendered instanceof Action.Command action)) {
      throw new IllegalArgumentException("not a command action: " + rendered.type());
    }
    Deadline deadline = Deadline.after(ctx.timeout());
    Path executable;
    try {
      executable = Scripts.resolve(scriptsDir, action.command());
    } catch (IllegalArgumentException e) {
      throw ActionFailedException.permanent(masker, e.getMessage());
    }
    Map<String, String> env = environment(action.env());

    List<String> argv = new ArrayList<>();
    argv.add(executable.toString());
    argv.addAll(action.args());
    ProcessBuilder builder = new ProcessBuilder(argv).directory(workingDir.toFile());
    builder.environment().clear();
    builder.environment().putAll(env);

    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw ActionFailedException.permanent(masker, "cannot start " + action.command() + ": " + e.getMessage());
    }
    closeQuietly(process);
    BoundedCapture stdout = BoundedCapture.start(process.getInputStream(), outputLimit, "command-stdout-" + process.pid());
    BoundedCapture stderr = BoundedCapture.start(process.getErrorStream(), outputLimit, "command-stderr-" + process.pid());

    boolean exited;
    boolean interrupted = false;
    try {
      exited = process.waitFor(deadline.remaining().toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      exited = false;
      interrupted = true;
    }
    if (!exited) {
      ProcessTree.kill(process);
      stdout.await(1000);
      stderr.await(1000);
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
      String why = interrupted ? " was interrupted (Rebound is shutting down?)"
          : " timed out after " + ctx.timeout().toMillis() + " ms";
      throw new ActionFailedException(
          masker.mask(action.command() + why + "; it and its child processes were killed"
              + ActionFailedException.UNKNOWN_OUTCOME),
          true, true, Outputs.masked(masker, streams(stdout, stderr)));
    }
    // Output may stay open after the exit if a background child inherited it: do not wait long.
    long grace = Math.min(DRAIN_GRACE_MILLIS, Math.max(100, deadline.remaining().toMillis()));
    stdout.await(grace);
    stderr.await(grace);

    int exitCode = process.exitValue();
    ObjectNode fixed = Outputs.object().put("exit_code", exitCode).put("stdout", stdout.text());
    ObjectNode output = stdout.truncated()
        ? fixed
        : Outputs.merge(fixed, TargetJson.parseObject(stdout.text().trim()).orElse(null));
    output = Outputs.masked(masker, output);
    if (exitCode != 0) {
      ObjectNode failed = Outputs.masked(masker, output.deepCopy().put("stderr", stderr.text()));
      String tail = stderr.text().isBlank() ? "" : ": " + Outputs.snippet(lastLines(stderr.text()), 300);
      throw new ActionFailedException(
          masker.mask(action.command() + " exited with " + exitCode + tail),
          exitCode == EX_TEMPFAIL, false, failed);
    }
    String summary = action.command() + " exited 0 in " + Outputs.millis(deadline.elapsed())
        + (stdout.truncated() ? " (stdout over " + outputLimit + " bytes, truncated)" : "");
    return new ActionOutcome(output, masker.mask(summary), deadline.elapsed());
  }

  private Map<String, String> environment(List<String> names) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PATH", PATH);
    env.put("LANG", "C.UTF-8");
    for (String name : names) {
      if (!NAME.matcher(name).matches()) {
        throw ActionFailedException.permanent(masker, "env: '" + name + "' is not a variable name");
      }
      if (FORBIDDEN.contains(name) || name.startsWith("LD_") || name.startsWith("LC_")) {
        throw ActionFailedException.permanent(masker, "env: '" + name + "' may not be passed to a script");
      }
      String value = templateEnvValues.get(name);
      if (value == null) {
        throw ActionFailedException.permanent(masker, "env: '" + name
            + "' has no value (declare it under template_env in rebound.yaml, with a default or set in the environment)");
      }
      env.put(name, value);
    }
    return env;
  }

  private static ObjectNode streams(BoundedCapture stdout, BoundedCapture stderr) {
    return Outputs.object().put("stdout", stdout.text()).put("stderr", stderr.text());
  }

  private static String lastLines(String text) {
    String[] lines = text.strip().split("\n");
    int from = Math.max(0, lines.length - 3);
    return String.join(" | ", java.util.Arrays.asList(lines).subList(from, lines.length));
  }

  private static void closeQuietly(Process process) {
    try {
      process.getOutputStream().close();
    } catch (IOException ignored) {
      // stdin of a process that already exited: nothing to close.
    }
  }
}
