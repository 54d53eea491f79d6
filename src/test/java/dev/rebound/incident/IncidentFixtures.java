package dev.rebound.incident;

import dev.rebound.inventory.Knowledge;
import dev.rebound.runbook.RunbookCatalog;
import java.nio.file.Path;

/** Paths of the test fixtures: retrieval-fixtures (incidents) and http-fixtures (assets, runbooks). */
final class IncidentFixtures {
  static final Path BASE = Path.of(System.getProperty("basedir", ".")).resolve("src/test/resources");
  static final Path INCIDENTS = BASE.resolve("retrieval-fixtures/incidents");
  static final Path BAD = BASE.resolve("retrieval-fixtures/bad-incidents");
  static final Path RUNBOOKS = BASE.resolve("http-fixtures/runbooks");
  static final Path KNOWLEDGE = BASE.resolve("http-fixtures/knowledge");

  private IncidentFixtures() {}

  static RunbookCatalog catalog() {
    return RunbookCatalog.load(RUNBOOKS);
  }

  static Knowledge knowledge() {
    return Knowledge.load(KNOWLEDGE, catalog().ids()).orElseThrow();
  }
}
