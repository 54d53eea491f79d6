package dev.rebound.inventory;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** What an asset is; the YAML and JSON spelling is the lower-case name ({@code feature_store}). */
public enum AssetKind {
  DATA_SOURCE,
  DATASET,
  PIPELINE,
  FEATURE_STORE,
  MODEL,
  SERVICE,
  VECTOR_INDEX,
  STORAGE;

  @JsonValue
  public String yamlName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<AssetKind> fromYaml(String text) {
    return Arrays.stream(values()).filter(k -> k.yamlName().equals(text)).findFirst();
  }

  static String allNames() {
    return Arrays.stream(values()).map(AssetKind::yamlName).collect(Collectors.joining(", "));
  }
}
