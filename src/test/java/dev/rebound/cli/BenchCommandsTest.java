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
  @ValueSource(strings = {"index", "scale", "retrieval", "upsert"})
  void a_data_directory_without_the_data_set_is_a_usage_error_naming_it(String bench) throws Exception {
    Files.writeString(dir.resolve("runbooks.jsonl"), "{}\n"); // queries.jsonl missing
    CliRunner.Result result = CliRunner.in(CliRunner.FIXTURES, CliRunner.offline())
        .run("bench", bench, "--data", dir.toString());
    assertThat(result.exit()).as(result.toString()).isEqualTo(2);
    assertThat(result.errLines().get(0)).isEqualTo("--data " + dir + ": no runbooks.jsonl and queries.jsonl there");
    assertThat(result.out()).isEmpty();
  }

  /** Only a database a --keep run made: never the service's own, whose index the latency would not be of. */
  @ParameterizedTest
  @ValueSource(strings = {"rebound", "rebound_bench_retrieval_1a2b3c4d"})
  void search_only_refuses_a_database_that_no_keep_run_made(String database) throws Exception {
    Files.writeString(dir.resolve("runbooks.jsonl"), "{}\n");
    Files.writeString(dir.resolve("queries.jsonl"), "{}\n");
    CliRunner.Result result = CliRunner.in(CliRunner.FIXTURES, CliRunner.offline())
        .run("bench", "scale", "--data", dir.toString(), "--search-only", database);
    assertThat(result.exit()).as(result.toString()).isEqualTo(2);
    assertThat(result.errLines().get(0)).isEqualTo("--search-only takes the database a --keep run printed"
        + " (rebound_bench_scale_...), and not with --keep; got '" + database + "'");
    assertThat(result.out()).isEmpty();
  }
}
