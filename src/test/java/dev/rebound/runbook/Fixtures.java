package dev.rebound.runbook;

import java.nio.file.Path;
import java.util.Set;

/**
 * Test fixtures under src/test/resources/runbooks-fixtures, read from the source tree (not the
 * classpath copy) so that file modes, which lint checks, are the ones in git.
 */
final class Fixtures {
  static final Path ROOT =
      Path.of(System.getProperty("basedir", ".")).resolve("src/test/resources/runbooks-fixtures");
  static final Path GOOD_SCRIPTS = ROOT.resolve("good/scripts");
  static final Path BAD_SCRIPTS = ROOT.resolve("bad/scripts");

  static final Set<String> ASSETS = Set.of("features.online", "pipelines.feature-ingest", "models.ranker");
  static final Set<String> ENV = Set.of("FEATURES_URL", "SECRET_TOKEN");
  static final Set<String> ENVIRONMENTS = Set.of("development", "staging", "production");

  private Fixtures() {}

  /** Loads a fixture, naming it in messages by its file name only. */
  static LoadResult load(String relative) {
    Path path = ROOT.resolve(relative);
    return new RunbookLoader().load(path, path.getFileName().toString());
  }

  static Runbook good() {
    return load("good/feature-store-restore.yaml").orElseThrow();
  }

  static Runbook parse(String yaml) {
    return new RunbookLoader().parse(yaml, "inline.yaml").orElseThrow();
  }

  static LintContext context(Path scriptsDir) {
    return new LintContext(
        ASSETS, Set.of("model-rollback"), Set.of("alice", "bruno"), ENV, Set.of("features"), ENVIRONMENTS,
        scriptsDir);
  }

  /** A minimal valid runbook whose steps are {@code steps} (YAML list items, indented by 2). */
  static String minimal(String steps, String extraTopLevel) {
    return "id: inline\n"
        + "version: 1\n"
        + "title: Inline runbook\n"
        + "summary: A runbook written inside a test.\n"
        + "author: alice\n"
        + "assets: [features.online]\n"
        + extraTopLevel
        + "steps:\n"
        + steps
        + "validation:\n"
        + "  - {check: http, url: \"http://localhost/health\"}\n";
  }
}
