package dev.rebound.incident;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rebound.yaml.YamlProblem;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IncidentLoaderTest {
  private final IncidentLoader loader = new IncidentLoader();

  @Test
  void reads_front_matter_and_body() {
    Incident i = loader.load(IncidentFixtures.INCIDENTS.resolve("INC-T-001.md"));

    assertThat(i.id()).isEqualTo("INC-T-001");
    assertThat(i.occurredAt()).isEqualTo(Instant.parse("2025-06-12T00:00:00Z"));
    assertThat(i.severity()).isEqualTo(Severity.SEV2);
    assertThat(i.status()).isEqualTo(IncidentStatus.RESOLVED);
    assertThat(i.assets()).containsExactly("features.online", "pipelines.feature-ingest");
    assertThat(i.symptoms()).containsExactly("FeatureStoreStale", "ranker CTR drop");
    assertThat(i.detectedBy()).contains("alert");
    assertThat(i.duration()).contains(Duration.ofMinutes(100));
    assertThat(i.runbooksUsed()).containsExactly(new RunbookRef("feature-store-restore", Optional.of(3)));
    assertThat(i.body()).startsWith("## Summary");
    assertThat(i.file()).contains("INC-T-001.md");
    assertThat(loader.load(IncidentFixtures.INCIDENTS.resolve("INC-T-002.md")).occurredAt())
        .isEqualTo(Instant.parse("2025-02-03T08:10:00Z"));
  }

  @Test
  void a_bad_value_is_reported_at_its_line_and_column() {
    assertThat(problems("bad-severity.md")).containsExactly(
        file("bad-severity.md") + ":5:11: severity must be one of sev1, sev2, sev3, sev4; got 'critical'");
  }

  @Test
  void an_unknown_key_is_reported_at_the_key() {
    assertThat(problems("unknown-key.md")).singleElement().asString()
        .startsWith(file("unknown-key.md") + ":6:1: unknown field 'root-cause'");
  }

  @Test
  void malformed_yaml_and_unclosed_front_matter_are_positioned_errors() {
    assertThat(problems("malformed.md")).singleElement().asString()
        .matches(java.util.regex.Pattern.quote(file("malformed.md")) + ":6:\\d+: malformed YAML: .*");
    assertThat(problems("not-closed.md")).containsExactly(
        file("not-closed.md") + ":1:1: front matter is not closed: add a line '---' after the last field");
  }

  @Test
  void missing_required_fields_are_all_reported() {
    assertThatThrownBy(() -> loader.parse("---\ntitle: x\n---\n", "x.md", Optional.empty()))
        .isInstanceOfSatisfying(InvalidIncidentException.class, e -> assertThat(e.problems()).containsExactly(
            "x.md:2:1: missing required field 'id'", "x.md:2:1: missing required field 'date'",
            "x.md:2:1: missing required field 'severity'"));
  }

  @Test
  void load_all_keeps_good_files_and_reports_bad_ones() {
    IncidentLoader.Loaded loaded = loader.loadAll(IncidentFixtures.BAD);
    assertThat(loaded.incidents()).isEmpty();
    assertThat(loaded.problems()).hasSize(4);
    assertThat(loader.loadAll(IncidentFixtures.INCIDENTS).incidents()).hasSize(5);
  }

  private List<String> problems(String name) {
    try {
      loader.load(IncidentFixtures.BAD.resolve(name));
    } catch (InvalidIncidentException e) {
      return e.positionedProblems().stream().map(YamlProblem::toString).toList();
    }
    throw new AssertionError(name + " loaded");
  }

  private static String file(String name) {
    return IncidentFixtures.BAD.resolve(name).toString();
  }
}
