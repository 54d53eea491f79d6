package dev.rebound.incident;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Incident fields of an API request (and where a file is read the same way, or on purpose not). */
class IncidentFieldsTest {
  private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
  private static final Set<String> ASSETS = Set.of("features.online", "models.ranker");

  @Test
  void a_good_request_reads() {
    Optional<Incident> i = read(request("{\"assets\": [\"features.online\"], \"date\": \"2026-06-02\"}"), new ArrayList<>());
    assertThat(i).isPresent();
    assertThat(i.get().assets()).containsExactly("features.online");
  }

  @Test
  void unknown_assets_are_named_with_their_index() {
    assertThat(problems("{\"assets\": [\"features.online\", \"nope.asset\"]}"))
        .containsExactly("/assets/1: unknown asset 'nope.asset' (not in knowledge/assets.yaml)");
    assertThat(problems("{\"assets\": [\"\", \"nope.asset\"]}")).containsExactly(
        "/assets/0: assets entries must be non-empty text (JSON strings)",
        "/assets/1: unknown asset 'nope.asset' (not in knowledge/assets.yaml)");
  }

  @Test
  void a_date_more_than_a_day_ahead_is_refused() {
    assertThat(problems("{\"date\": \"2999-01-01\"}")).singleElement().asString()
        .startsWith("/date: date 2999-01-01 is in the future");
    assertThat(problems("{\"date\": \"2026-06-02T13:00:00+02:00\"}")).as("23 hours ahead: clock skew, time zones").isEmpty();
    assertThat(problems("{\"date\": \"2026-06-02T13:00:00Z\"}")).singleElement().asString().contains("in the future");
  }

  @Test
  void long_texts_are_refused_with_their_length() {
    assertThat(problems("{\"title\": \"" + "x".repeat(20_000) + "\"}"))
        .containsExactly("/title: title is 20000 characters; at most 200 (put the detail in symptoms, root_cause or the body)");
    assertThat(problems("{\"title\": \"" + "x".repeat(200) + "\"}")).isEmpty();
    assertThat(problems("{\"symptoms\": [\"" + "y".repeat(201) + "\"]}"))
        .containsExactly("/symptoms/0: symptoms entries are at most 200 characters; this one is 201");
    assertThat(problems("{\"root_cause\": \"" + "z".repeat(10_001) + "\"}")).singleElement().asString()
        .startsWith("/root_cause: root_cause is 10001 characters; at most 10000");
  }

  @Test
  void numbers_and_booleans_are_not_text_in_a_request() {
    assertThat(problems("{\"id\": 42, \"title\": 7}")).containsExactly(
        "/id: id must be a JSON string, not a number 42", "/title: title must be a JSON string, not a number 7");
    assertThat(problems("{\"detected_by\": true, \"symptoms\": [1]}")).containsExactly(
        "/symptoms/0: symptoms entries must be non-empty text (JSON strings)",
        "/detected_by: detected_by must be a JSON string, not a boolean true");
  }

  @Test
  void a_huge_duration_is_a_problem_not_a_crash() {
    assertThat(problems("{\"duration\": \"99999999999999999999h\"}")).singleElement().asString()
        .startsWith("/duration: duration must look like 1h40m");
  }

  @Test
  void a_file_may_name_retired_assets_and_plain_scalars_but_not_a_future_date() {
    IncidentLoader loader = new IncidentLoader();
    Incident old = loader.parse("---\nid: 2024\ntitle: 404\ndate: 2024-01-01\nseverity: sev3\nassets: [retired.asset]\n---\n",
        "x.md", Optional.empty());
    assertThat(old.id()).isEqualTo("2024");
    assertThat(old.title()).isEqualTo("404");
    assertThat(old.assets()).containsExactly("retired.asset");
    assertThatThrownBy(() -> loader.parse("---\nid: X\ntitle: t\ndate: 2999-01-01\nseverity: sev3\n---\n", "x.md",
        Optional.empty()))
        .isInstanceOfSatisfying(InvalidIncidentException.class, e -> assertThat(e.problems()).singleElement()
            .asString().startsWith("x.md:4:7: date 2999-01-01 is in the future"));
  }

  /** A valid request with {@code overrides} merged in. */
  private static JsonNode request(String overrides) {
    try {
      ObjectMapper json = new ObjectMapper();
      var base = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(
          "{\"id\": \"INC-X-1\", \"title\": \"Features stale\", \"date\": \"2026-05-30\", \"severity\": \"sev2\"}");
      base.setAll((com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(overrides));
      return base;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static Optional<Incident> read(JsonNode tree, List<String> out) {
    return IncidentFields.readRequest(tree, new IncidentFields.Problems() {
      @Override
      public void at(String pointer, String message) {
        out.add(pointer + ": " + message);
      }

      @Override
      public void atKey(String pointer, String message) {
        out.add(pointer + ": " + message);
      }
    }, NOW, ASSETS::contains);
  }

  private static List<String> problems(String overrides) {
    List<String> out = new ArrayList<>();
    read(request(overrides), out);
    return out;
  }
}
