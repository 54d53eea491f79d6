package dev.rebound.cli;

import dev.rebound.testing.TestFiles;
import static dev.rebound.cli.CliRunner.REPO;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rebound.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rebound index} and {@code rebound search} over http-fixtures' runbooks and knowledge
 * plus the retrieval-fixtures incidents: counts, a second run that embeds nothing, staleness,
 * and search output with and without --json.
 */
class IndexSearchCommandIT {
  @RegisterExtension static final TestDatabase db = TestDatabase.create();

  @TempDir Path temp;

  @Test
  void indexes_incrementally_reports_staleness_and_searches() throws Exception {
    Path fixtures = REPO.resolve("src/test/resources");
    TestFiles.copyTree(fixtures.resolve("http-fixtures/runbooks"), temp.resolve("runbooks"));
    TestFiles.copyTree(fixtures.resolve("http-fixtures/knowledge"), temp.resolve("knowledge"));
    TestFiles.copyTree(fixtures.resolve("retrieval-fixtures/incidents"), temp.resolve("knowledge/incidents"));
    Files.writeString(temp.resolve("knowledge/incidents/broken-yaml.md"), "---\nid: INC-B-1\nseverity: [\n---\n");
    Files.writeString(temp.resolve("knowledge/incidents/no-front-matter.md"), "# Just a heading\n");
    CliRunner cli = CliRunner.in(temp, Map.of("DATABASE_URL", db.urlText()));

    CliRunner.Result first = cli.run("index");
    assertThat(first.out()).contains("incidents: 5 added, 0 updated, 0 unchanged, 0 removed")
        .containsPattern("index: \\d+ added, 0 updated, 0 unchanged, 0 removed; embedded \\d+ chunks in");
    assertThat(first.err()).contains("broken.yaml"); // the fixture runbook that does not load is named
    // Each broken incident file once (the sync and the index read them, the problems are told once).
    assertThat(first.errLines()).filteredOn(l -> l.contains("broken-yaml.md")).hasSize(1);
    assertThat(first.errLines()).filteredOn(l -> l.contains("no-front-matter.md")).hasSize(1);
    long problems = first.errLines().stream().filter(l -> l.matches(".*:\\d+:\\d+: .*")).count();
    assertThat(first.err()).contains("rebound: " + problems + " file problems above");
    Files.delete(temp.resolve("knowledge/incidents/broken-yaml.md"));
    Files.delete(temp.resolve("knowledge/incidents/no-front-matter.md"));

    CliRunner.Result second = cli.run("index");
    assertThat(second.out()).containsPattern("index: 0 added, 0 updated, \\d+ unchanged, 0 removed; embedded 0 chunks");
    assertThat(cli.run("index", "--check").out()).contains("index: fresh");

    Files.delete(temp.resolve("knowledge/incidents/INC-T-005.md"));
    CliRunner.Result stale = cli.run("index", "--check");
    assertThat(stale.exit()).isEqualTo(1);
    assertThat(stale.out()).contains("stale: 0 new, 0 changed, 1 removed").contains("removed  incident:INC-T-005");

    CliRunner.Result text = cli.run("search", "online", "features", "are", "stale", "--kind", "runbook", "--k", "1");
    assertThat(text.exit()).isZero();
    assertThat(text.out()).contains("1. [runbook] feature-store-restore").contains("vector rank 1");
    assertThat(text.err()).contains("the index is stale");

    JsonNode json = new ObjectMapper().readTree(cli.run("search", "consumer credential expired", "--json", "--k", "3").out());
    assertThat(json.get("hits")).hasSize(3);
    JsonNode shortOption = new ObjectMapper().readTree(cli.run("search", "consumer credential expired", "--json", "-k", "2").out());
    assertThat(shortOption.get("hits")).hasSize(2);
    assertThat(json.get("hits").get(0).has("vector_rank")).isTrue();
    assertThat(json.get("hits").get(0).has("text_rank")).isTrue();
    assertThat(json.get("hits").get(0).get("snippet").asText()).isNotBlank();

    CliRunner.Result bad = cli.run("search", " ", "--kind", "playbook");
    assertThat(bad.exit()).isEqualTo(1);
    assertThat(bad.err()).contains("query is empty").contains("unknown kind 'playbook'");
  }

}
