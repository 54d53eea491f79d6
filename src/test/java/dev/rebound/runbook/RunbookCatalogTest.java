package dev.rebound.runbook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rebound.yaml.YamlProblem;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class RunbookCatalogTest {
  private static final Path DIR = Fixtures.ROOT.resolve("catalog");

  @Test
  void loadsTheGoodRunbooksDespiteBrokenOnes() {
    RunbookCatalog catalog = RunbookCatalog.load(DIR);

    assertThat(catalog.ids()).containsExactly("alpha", "beta");
    assertThat(catalog.get("alpha")).isPresent();
    assertThat(catalog.get("broken")).isEmpty();
  }

  @Test
  void reportsBrokenFilesDuplicateIdsAndMisnamedFiles() {
    RunbookCatalog catalog = RunbookCatalog.load(DIR);
    String d = DIR.toString();

    assertThat(catalog.problems()).extracting(YamlProblem::toString).containsExactly(
        d + "/broken.yaml:12:5: steps[0]: unknown key 'retires' (allowed: id, title, description, risk, action,"
            + " verify, rollback, reversible, idempotent, timeout, retries, targets)",
        d + "/dup-a.yaml:1:5: duplicate runbook id 'dup' (also in " + d + "/dup-b.yaml)",
        d + "/dup-b.yaml:1:5: duplicate runbook id 'dup' (also in " + d + "/dup-a.yaml)",
        d + "/notes.yml:1:1: runbook files end in .yaml (rename to notes.yaml)");
  }

  @Test
  void ignoresTheScriptsDirectory() {
    assertThat(RunbookCatalog.load(DIR).problems())
        .extracting(YamlProblem::file)
        .noneMatch(file -> file.contains("scripts"));
  }

  @Test
  void reportsAMissingDirectoryAsOneProblem() {
    RunbookCatalog catalog = RunbookCatalog.load(DIR.resolve("nowhere"));

    assertThat(catalog.runbooks()).isEmpty();
    assertThat(catalog.problems()).extracting(YamlProblem::message).containsExactly("runbooks directory not found");
  }

  @Test
  void lintsEveryRunbookAndKeepsLoadProblemsAsErrors() {
    RunbookCatalog catalog = RunbookCatalog.load(DIR);

    assertThat(catalog.lint(Fixtures.context(null), new RunbookLinter()))
        .filteredOn(LintFinding::isError)
        .hasSize(catalog.problems().size());
  }
}
