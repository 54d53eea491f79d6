package dev.rebound.inventory;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * Why one asset is downstream of another. All three propagate a failure the same way (if the
 * upstream breaks, the downstream is affected); the kind is kept so an impact report can say
 * "derived from" rather than "depends on".
 */
public enum EdgeKind {
  DEPENDS_ON("depends_on"),
  DERIVED_FROM("lineage.derived_from"),
  TRAINING_DATA("lineage.training_data.asset");

  private final String yamlField;

  EdgeKind(String yamlField) {
    this.yamlField = yamlField;
  }

  /** The field of assets.yaml this edge comes from, as messages name it. */
  public String yamlField() {
    return yamlField;
  }

  /** {@code depends_on}, {@code derived_from} or {@code training_data}. */
  @JsonValue
  public String jsonName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
