package dev.rebound.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * bin/rebound serves from a copy of the jar (target/serving/), so a rebuild leaves a running
 * service alone, however the command line is written: global options may come before `serve`.
 */
class ReboundScriptIT {
  private static final Path SERVING = Path.of("target/serving");

  @Test
  void serve_runs_from_a_copy_of_the_jar_also_after_global_options() throws Exception {
    for (List<String> args : List.of(List.of("--runbooks=runbooks", "serve", "--help"),
        List.of("--knowledge", "knowledge", "serve", "--help"))) {
      long pid = run(args);
      assertThat(SERVING.resolve("rebound-" + pid + ".jar")).as(String.join(" ", args)).exists();
    }
  }

  /** Runs bin/rebound and returns the process id, which names the copy it served from. */
  private static long run(List<String> args) throws Exception {
    List<String> command = Stream.concat(Stream.of("bin/rebound"), args.stream()).toList();
    Process process = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(Files.createTempFile("rebound-script", ".log").toFile()).start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isZero();
    return process.pid();
  }
}
