package dev.rebound.engine.action;

import static dev.rebound.engine.TestJson.action;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.rebound.audit.Masker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandActionExecutorTest {
  private static final String SECRET = "s3cr3t-token-value";

  @TempDir Path root;
  private Path scripts;
  private Path work;
  private CommandActionExecutor executor;
  private final ActionContext ctx = ActionContext.of("run-1", "stage", 1, "run-1/stage", Duration.ofSeconds(10));

  @BeforeEach
  void setUp() throws IOException {
    scripts = Files.createDirectories(root.resolve("runbooks/scripts"));
    work = Files.createDirectories(root.resolve("work"));
    executor = new CommandActionExecutor(scripts, work,
        Map.of("STORE_DIR", "/data/store", "API_TOKEN", SECRET, "NOT_LISTED", "x"), Masker.of(List.of(SECRET)));
  }

  private Path script(Path dir, String name, String body) throws IOException {
    Path file = dir.resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    return file;
  }

  private ActionFailedException failure(String json) {
    return catchThrowableOfType(ActionFailedException.class, () -> executor.execute(action(json), ctx));
  }

  @Test
  void arguments_arrive_as_literal_argv_elements_never_through_a_shell() throws IOException {
    script(scripts, "args.sh", "for a in \"$@\"; do printf '[%s]\\n' \"$a\"; done");

    ActionOutcome outcome = executor.execute(action(
        "{type: 'command', command: 'args.sh', args: ['; rm -rf /', '$(id)', 'a b', '*']}"), ctx);

    assertThat(outcome.output().get("stdout").textValue()).isEqualTo("[; rm -rf /]\n[$(id)]\n[a b]\n[*]\n");
    assertThat(outcome.output().get("exit_code").intValue()).isZero();
    assertThat(outcome.summary()).startsWith("args.sh exited 0");
  }

  @Test
  void json_stdout_adds_its_top_level_fields_and_the_fixed_fields_win() throws IOException {
    script(scripts, "stage.sh", "echo '{\"ok\":true,\"staged\":\"versions/snap-1\",\"rows\":42,\"exit_code\":\"no\"}'");

    ActionOutcome outcome = executor.execute(action("{type: 'command', command: 'stage.sh'}"), ctx);

    assertThat(outcome.output().get("staged").textValue()).isEqualTo("versions/snap-1");
    assertThat(outcome.output().get("rows").intValue()).isEqualTo(42);
    assertThat(outcome.output().get("exit_code").intValue()).isZero();
  }

  @Test
  void runs_in_the_working_directory() throws IOException {
    script(scripts, "pwd.sh", "pwd");

    ActionOutcome outcome = executor.execute(action("{type: 'command', command: 'pwd.sh'}"), ctx);

    assertThat(outcome.output().get("stdout").textValue().trim()).isEqualTo(work.toRealPath().toString());
  }

  @Test
  void the_environment_holds_only_path_lang_and_the_listed_variables_and_secrets_are_masked_in_output()
      throws IOException {
    script(scripts, "env.sh", "env");

    ActionOutcome outcome = executor.execute(action(
        "{type: 'command', command: 'env.sh', env: ['STORE_DIR', 'API_TOKEN']}"), ctx);

    String stdout = outcome.output().get("stdout").textValue();
    Set<String> names = Arrays.stream(stdout.split("\n")).map(l -> l.substring(0, l.indexOf('=')))
        .collect(Collectors.toSet());
    names.removeAll(Set.of("PWD", "SHLVL", "_", "OLDPWD")); // set by the shell itself
    assertThat(names).containsExactlyInAnyOrder("PATH", "LANG", "STORE_DIR", "API_TOKEN");
    assertThat(stdout).contains("PATH=/usr/bin:/bin", "LANG=C.UTF-8", "STORE_DIR=/data/store", "API_TOKEN=***")
        .doesNotContain(SECRET);
  }

  @Test
  void variables_that_change_how_interpreters_behave_or_have_no_value_are_refused() throws IOException {
    script(scripts, "env.sh", "env");

    assertThat(failure("{type: 'command', command: 'env.sh', env: ['LD_PRELOAD']}").getMessage())
        .contains("'LD_PRELOAD' may not be passed");
    assertThat(failure("{type: 'command', command: 'env.sh', env: ['PATH']}").getMessage())
        .contains("'PATH' may not be passed");
    assertThat(failure("{type: 'command', command: 'env.sh', env: ['UNDECLARED']}").getMessage())
        .contains("'UNDECLARED' has no value");
  }

  @Test
  void paths_outside_the_scripts_directory_are_refused() throws IOException {
    script(root, "outside.sh", "echo escaped");

    ActionFailedException dotdot = failure("{type: 'command', command: '../../outside.sh'}");
    ActionFailedException absolute = failure("{type: 'command', command: '" + root.resolve("outside.sh") + "'}");

    assertThat(dotdot.getMessage()).contains("resolves outside the scripts directory");
    assertThat(dotdot.retryable()).isFalse();
    assertThat(absolute.getMessage()).contains("must be relative to the scripts directory");
  }

  @Test
  void symlinks_escaping_the_scripts_directory_are_refused_and_ones_inside_it_work() throws IOException {
    Path evil = script(root.resolve("elsewhere"), "evil.sh", "echo escaped");
    Files.createSymbolicLink(scripts.resolve("link.sh"), evil);
    Files.createSymbolicLink(scripts.resolve("subdir"), evil.getParent());
    script(scripts, "real.sh", "echo inside");
    Files.createSymbolicLink(scripts.resolve("alias.sh"), scripts.resolve("real.sh"));

    assertThat(failure("{type: 'command', command: 'link.sh'}").getMessage())
        .contains("resolves outside the scripts directory");
    assertThat(failure("{type: 'command', command: 'subdir/evil.sh'}").getMessage())
        .contains("resolves outside the scripts directory");
    assertThat(executor.execute(action("{type: 'command', command: 'alias.sh'}"), ctx).output().get("stdout").textValue())
        .isEqualTo("inside\n");
  }

  @Test
  void a_missing_or_non_executable_script_is_not_retryable() throws IOException {
    Path plain = scripts.resolve("plain.sh");
    Files.writeString(plain, "#!/bin/sh\necho hi\n");
    Files.setPosixFilePermissions(plain, PosixFilePermissions.fromString("rw-r--r--"));
    Files.createDirectories(scripts.resolve("adir"));

    ActionFailedException missing = failure("{type: 'command', command: 'nope.sh'}");
    assertThat(missing.getMessage()).contains("script 'nope.sh' not found");
    assertThat(missing.retryable()).isFalse();
    assertThat(failure("{type: 'command', command: 'plain.sh'}").getMessage()).contains("not executable");
    assertThat(failure("{type: 'command', command: 'adir'}").getMessage()).contains("not a regular file");
  }

  @Test
  void a_non_zero_exit_fails_with_the_exit_code_and_stderr_and_only_ex_tempfail_is_retryable() throws IOException {
    script(scripts, "fail.sh", "echo '{\"ok\":false}'; echo 'manifest sha256 mismatch' >&2; exit 1");
    script(scripts, "busy.sh", "echo 'store is locked' >&2; exit 75");

    ActionFailedException failed = failure("{type: 'command', command: 'fail.sh'}");
    ActionFailedException busy = failure("{type: 'command', command: 'busy.sh'}");

    assertThat(failed.getMessage()).isEqualTo("fail.sh exited with 1: manifest sha256 mismatch");
    assertThat(failed.retryable()).isFalse();
    assertThat(failed.outcomeUnknown()).isFalse();
    assertThat(failed.output().get("exit_code").intValue()).isEqualTo(1);
    assertThat(failed.output().get("ok").booleanValue()).isFalse();
    assertThat(failed.output().get("stderr").textValue()).contains("mismatch");
    assertThat(busy.retryable()).isTrue();
  }

  @Test
  void a_timeout_kills_the_process_and_its_children_and_says_the_outcome_is_unknown() throws Exception {
    Path pidFile = root.resolve("child.pid");
    script(scripts, "hang.sh", "sleep 30 &\necho $! > \"$1\"\necho started\nsleep 30");
    ActionContext shortTimeout = ActionContext.of("run-1", "stage", 1, "k", Duration.ofMillis(700));
    long start = System.nanoTime();

    ActionFailedException e = catchThrowableOfType(ActionFailedException.class, () -> executor.execute(
        action("{type: 'command', command: 'hang.sh', args: ['" + pidFile + "']}"), shortTimeout));

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
    assertThat(e.retryable()).isTrue();
    assertThat(e.outcomeUnknown()).isTrue();
    assertThat(e.getMessage()).contains("timed out after 700 ms").contains("killed").contains("outcome unknown");
    assertThat(e.output().get("stdout").textValue()).isEqualTo("started\n");
    long childPid = Long.parseLong(Files.readString(pidFile).trim());
    long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
    while (isRunning(childPid) && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(isRunning(childPid)).as("the background child was killed too").isFalse();
  }

  /** Alive and not a zombie waiting for init to reap it (which may take a while in a container). */
  private static boolean isRunning(long pid) throws IOException {
    Path stat = Path.of("/proc/" + pid + "/stat");
    if (!Files.exists(stat)) {
      return false;
    }
    String text;
    try {
      text = Files.readString(stat);
    } catch (java.nio.file.NoSuchFileException e) {
      return false;
    }
    char state = text.charAt(text.lastIndexOf(')') + 2);
    return state != 'Z' && state != 'X';
  }

  @Test
  void huge_output_is_truncated_with_a_marker_and_the_process_is_not_blocked() throws IOException {
    script(scripts, "loud.sh", "head -c 300000 /dev/zero | tr '\\0' a; head -c 300000 /dev/zero | tr '\\0' b >&2");

    ActionOutcome outcome = executor.execute(action("{type: 'command', command: 'loud.sh'}"), ctx);

    String stdout = outcome.output().get("stdout").textValue();
    assertThat(stdout).startsWith("aaaa").contains("[… truncated: " + (300_000 - 65_536) + " more bytes not kept]");
    assertThat(stdout.length()).isLessThan(65_536 + 100);
    assertThat(outcome.summary()).contains("truncated");
  }
}
