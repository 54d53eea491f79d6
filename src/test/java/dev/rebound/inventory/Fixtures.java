package dev.rebound.inventory;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.Set;

/** Paths to the files under {@code src/test/resources/inventory-fixtures/}, and inline loading. */
final class Fixtures {
  static final Set<String> RUNBOOKS =
      Set.of("feature-store-restore", "model-rollback", "serving-failover", "rag-reindex");

  private Fixtures() {}

  static Path path(String relative) {
    URL url = Fixtures.class.getResource("/inventory-fixtures/" + relative);
    if (url == null) {
      throw new IllegalArgumentException("no fixture " + relative);
    }
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static AssetInventory goodInventory() {
    return AssetLoader.load(path("good/assets.yaml"), RUNBOOKS).orElseThrow();
  }

  /** Inline YAML for graph tests, where the shape matters more than the fields. */
  static AssetInventory inventory(String yaml) {
    return AssetLoader.parse(yaml, "inline.yaml", null, null).orElseThrow();
  }
}
