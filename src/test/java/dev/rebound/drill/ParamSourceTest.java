package dev.rebound.drill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ParamSourceTest {
  private static final LocalDate TODAY = LocalDate.parse("2026-03-10");

  @Test
  void literalsDaysAgoAndLookupsResolve() throws Exception {
    List<String> fetched = new ArrayList<>();
    JsonNode snapshots = json("{\"snapshots\": [{\"snapshot_id\": \"snap-0a1b2c3d\"}]}");
    assertThat(ParamSource.resolve("p", json("\"ranker\""), Map.of(), u -> null, TODAY)).isEqualTo("ranker");
    assertThat(ParamSource.resolve("p", json("11"), Map.of(), u -> null, TODAY)).isEqualTo("11");
    assertThat(ParamSource.resolve("d", json("{\"days_ago\": 3}"), Map.of(), u -> null, TODAY)).isEqualTo("2026-03-07");
    String id = ParamSource.resolve("s", json("{\"from_http\": \"{{env.FEATURES_URL}}/admin/snapshots\","
        + " \"pointer\": \"/snapshots/0/snapshot_id\"}"), Map.of("FEATURES_URL", "http://demo:1/features"), url -> {
          fetched.add(url);
          return snapshots;
        }, TODAY);
    assertThat(id).isEqualTo("snap-0a1b2c3d");
    assertThat(fetched).containsExactly("http://demo:1/features/admin/snapshots");
  }

  @Test
  void aLookupWithoutAValueNamesTheParameterAndTheUrl() throws Exception {
    JsonNode lookup = json("{\"from_http\": \"http://x/y\", \"pointer\": \"/missing\"}");
    assertThatThrownBy(() -> ParamSource.resolve("snapshot_id", lookup, Map.of(), u -> json("{}"), TODAY))
        .hasMessage("parameter snapshot_id: http://x/y has no value at /missing");
    JsonNode unknownEnv = json("{\"from_http\": \"{{env.NOPE}}/y\", \"pointer\": \"/a\"}");
    assertThatThrownBy(() -> ParamSource.resolve("p", unknownEnv, Map.of(), u -> json("{}"), TODAY))
        .hasMessage("template variable NOPE is not configured");
  }

  @Test
  void malformedSourcesAreProblems() throws Exception {
    assertThat(ParamSource.problem(json("{\"days_ago\": -2}"))).isPresent();
    assertThat(ParamSource.problem(json("{\"from_http\": \"x\"}"))).isPresent();
    assertThat(ParamSource.problem(json("[1]"))).isPresent();
    assertThat(ParamSource.problem(json("{\"from_http\": \"x\", \"pointer\": \"/a\"}"))).isEmpty();
  }

  private static JsonNode json(String text) {
    try {
      return DrillReport.JSON.readTree(text);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
