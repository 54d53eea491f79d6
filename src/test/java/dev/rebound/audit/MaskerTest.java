package dev.rebound.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class MaskerTest {
  @Test
  void masks_every_occurrence_longest_secret_first() {
    Masker masker = Masker.of(List.of("tok", "tok-123456", ""));

    assertThat(masker.mask("Bearer tok-123456 and tok and tok-123456"))
        .isEqualTo("Bearer *** and *** and ***");
  }

  @Test
  void masks_string_values_and_keys_deep_in_a_tree_and_leaves_the_rest() {
    Masker masker = Masker.of(List.of("s3cr3t"));
    JsonNode details = AuditJson.parse(
        "{\"url\": \"postgres://u:s3cr3t@db/x\", \"args\": [\"s3cr3t\", 42, true, null],"
            + " \"s3cr3t-key\": {\"deep\": \"xs3cr3tx\"}, \"n\": 1.50}");

    JsonNode masked = masker.mask(details);

    assertThat(masked.toString()).doesNotContain("s3cr3t");
    assertThat(masked.get("url").textValue()).isEqualTo("postgres://u:***@db/x");
    assertThat(masked.get("args").toString()).isEqualTo("[\"***\",42,true,null]");
    assertThat(masked.get("***-key").get("deep").textValue()).isEqualTo("x***x");
    assertThat(masked.get("n").decimalValue()).isEqualByComparingTo("1.5");
    assertThat(details.get("url").textValue()).as("the input is not changed").contains("s3cr3t");
  }

  @Test
  void with_no_secrets_nothing_changes() {
    assertThat(Masker.of(Arrays.asList(null, "")).mask("anything")).isEqualTo("anything");
    assertThat(Masker.none().mask("anything")).isEqualTo("anything");
  }
}
