package dev.rebound.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every bench command refuses a data set directory without the runbooks and queries, before any work. */
class BenchCommandsTest {
  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"index", "scale", "retrieval"})
  void a_data_directory_without_the_data_set_is_a_usage_error_naming_it(String bench) throws Exception {
    Files.writeString(dir.resolve("runbooks.jsonl"), "{}\n"); // queries.jsonl missing
    CliRunner.Result result = CliRunner.in(CliRunner.FIXTURES, CliRunner.offline())
        .run("bench", bench, "--data", dir.toString());
    assertThat(result.exit()).as(result.toString()).isEqualTo(2);
    assertThat(result.errLines().get(0)).isEqualTo("--data " + dir + ": no runbooks.jsonl and queries.jsonl there");
    assertThat(result.out()).isEmpty();
  }
}
