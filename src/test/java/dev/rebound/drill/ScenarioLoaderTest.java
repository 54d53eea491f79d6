package dev.rebound.drill;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.rebound.runbook.ParamSpec;
import dev.rebound.yaml.YamlProblem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScenarioLoaderTest {
  private static final Path REPO = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();
  private static final ScenarioRefs REFS = new ScenarioRefs(Set.of("features-corrupt", "kb-drift"),
      Map.of("feature-store-restore", List.of(param("snapshot_id", "{type: string, pattern: \"^snap-\"}")),
          "rag-index-rebuild", List.of(param("embedding_model", "{type: string, default: all-minilm-l6-v2}"),
              param("batch_size", "{type: integer, minimum: 1, default: 100}"))),
      Set.of("features.online", "rag.index"));

  @TempDir Path dir;

  @Test
  void theBundledScenariosLoadWithoutProblems() {
    ScenarioCatalog catalog = new ScenarioLoader(ScenarioRefs.unchecked()).loadDir(REPO.resolve("drills"));
    assertThat(catalog.problems()).isEmpty();
    assertThat(catalog.ids()).hasSize(11).contains("features-corrupt", "primary-down-wrong-runbook");
    Scenario s = catalog.get("features-corrupt").orElseThrow();
    assertThat(s.fault()).isEqualTo("features-corrupt");
    assertThat(s.assets()).containsExactly("features.online");
    assertThat(s.expectedRunbook()).isEqualTo("feature-store-restore");
    assertThat(s.params().get("snapshot_id").path("from_http").asText()).contains("{{env.FEATURES_URL}}");
    assertThat(s.maxDuration()).isPresent();
  }

  @Test
  void aGoodScenarioLoads() throws Exception {
    write("kb-drift", """
        id: kb-drift
        title: Drifted index
        fault: {name: kb-drift, params: {docs: "3"}}
        symptom: RagIndexDrift
        assets: [rag.index]
        expected_runbook: rag-index-rebuild
        params: {embedding_model: all-minilm-l6-v2}
        max_duration: 90s
        """);
    ScenarioCatalog catalog = load();
    assertThat(catalog.problems()).isEmpty();
    Scenario s = catalog.get("kb-drift").orElseThrow();
    assertThat(s.faultParams()).containsEntry("docs", "3");
    assertThat(s.maxDuration()).contains(java.time.Duration.ofSeconds(90));
  }

  @Test
  void everyProblemIsReportedWithItsFileLineAndColumn() throws Exception {
    write("broken", """
        id: other-name
        title: Broken
        fault: no-such-fault
        symptom: ""
        assets: [features.online, nowhere.asset]
        expected_runbook: feature-store-restore
        params:
          snapshot_id: {days_ago: -1}
          not_a_param: x
        max_duration: soon
        colour: red
        """);
    ScenarioCatalog catalog = load();
    assertThat(catalog.scenarios()).isEmpty();
    List<String> lines = catalog.problems().stream().map(YamlProblem::toString).toList();
    String file = dir.resolve("broken.yaml").toString();
    assertThat(lines).contains(
        file + ":1:5: the file of scenario 'other-name' must be named other-name.yaml",
        file + ":3:8: unknown demo fault 'no-such-fault' (known: features-corrupt, kb-drift)",
        file + ":4:10: symptom must be a non-empty text",
        file + ":5:27: unknown asset 'nowhere.asset' (not in knowledge/assets.yaml)",
        file + ":8:16: a parameter is a text, {days_ago: N} or {from_http: URL, pointer: /json/pointer}",
        file + ":9:3: the expected runbook has no parameter 'not_a_param' (it has: snapshot_id)",
        file + ":10:15: max_duration must be a positive number of seconds, minutes or hours: 90s, 10m, 1h");
    assertThat(lines).anyMatch(l -> l.startsWith(file + ":11:1: unknown key 'colour'"));
  }

  @Test
  void literalParamsAreCheckedAgainstTheRunbooksSchemaAndRequiredOnesMustBeGiven() throws Exception {
    write("bad-values", """
        id: bad-values
        title: Values the runbook refuses
        fault: kb-drift
        symptom: RagIndexDrift
        assets: [rag.index]
        expected_runbook: rag-index-rebuild
        params: {batch_size: lots}
        """);
    write("required", """
        id: required
        title: Forgets the snapshot
        fault: features-corrupt
        symptom: FeatureStoreStale
        assets: [features.online]
        expected_runbook: feature-store-restore
        params:
          unused: x
        """);
    write("no-params", """
        id: no-params
        title: No params at all
        fault: features-corrupt
        symptom: FeatureStoreStale
        assets: [features.online]
        expected_runbook: feature-store-restore
        """);
    write("wrong-pattern", """
        id: wrong-pattern
        title: A value the pattern refuses; a lookup is checked at drill time
        fault: features-corrupt
        symptom: FeatureStoreStale
        assets: [features.online]
        expected_runbook: feature-store-restore
        params: {snapshot_id: latest}
        """);
    List<String> lines = load().problems().stream().map(YamlProblem::toString).toList();
    assertThat(lines).containsExactlyInAnyOrder(
        dir.resolve("bad-values.yaml") + ":7:22: param batch_size: \"lots\" is not an integer",
        dir.resolve("no-params.yaml") + ":1:1: the expected runbook's parameter 'snapshot_id' has no default;"
            + " give it under params",
        dir.resolve("required.yaml") + ":8:3: the expected runbook has no parameter 'unused'"
            + " (it has: snapshot_id)",
        dir.resolve("required.yaml") + ":8:3: the expected runbook's parameter 'snapshot_id' has no default;"
            + " give it under params",
        dir.resolve("wrong-pattern.yaml") + ":7:23: param snapshot_id: \"latest\" does not match ^snap-");
  }

  @Test
  void missingFieldsAndAnUnknownRunbookAreProblems() throws Exception {
    write("thin", """
        id: thin
        fault: kb-drift
        expected_runbook: no-such-runbook
        """);
    List<String> lines = load().problems().stream().map(YamlProblem::message).toList();
    assertThat(lines).contains("title is required", "symptom is required",
        "assets must be a non-empty list of asset ids", "unknown runbook 'no-such-runbook'");
  }

  @Test
  void aYamlSyntaxErrorIsPositioned() throws Exception {
    write("syntax", "id: [unclosed\n");
    assertThat(load().problems()).singleElement()
        .satisfies(p -> assertThat(p.toString()).startsWith(dir.resolve("syntax.yaml") + ":"));
  }

  private static ParamSpec param(String name, String schemaYaml) {
    try {
      JsonNode schema = new ObjectMapper(new YAMLFactory()).readTree(schemaYaml);
      JsonNode def = schema.get("default");
      return new ParamSpec(name, schema.path("type").asText(), Optional.empty(), Optional.ofNullable(def), schema);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private ScenarioCatalog load() {
    return new ScenarioLoader(REFS).loadDir(dir);
  }

  private void write(String name, String text) throws Exception {
    Files.writeString(dir.resolve(name + ".yaml"), text);
  }
}
