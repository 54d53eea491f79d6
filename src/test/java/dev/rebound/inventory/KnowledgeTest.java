package dev.rebound.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class KnowledgeTest {
  @Test
  void goodDirectoryLoadsBothFiles() {
    Knowledge knowledge = Knowledge.load(Fixtures.path("good"), Fixtures.RUNBOOKS).orElseThrow();

    assertThat(knowledge.assets().assets()).hasSize(9);
    assertThat(knowledge.team().people()).hasSize(4);
    assertThat(knowledge.graph().impact("storage.docs").affected()).hasSize(1);
  }

  @Test
  void ownersAreCheckedAgainstTheTeam() {
    Path dir = Fixtures.path("unknown-owner");

    String assets = dir.resolve("assets.yaml").toString();

    assertThat(Knowledge.load(dir, null).problems()).extracting(Object::toString).containsExactly(
        assets + ":4:35: asset 'c': owner 'ml-platfrom' is neither a team nor a person in team.yaml");
  }

  @Test
  void problemsOfBothFilesAreReportedTogetherWithoutCascades() {
    Path dir = Fixtures.path("bad-knowledge");

    // The unknown owner 'nobody' is not reported: team.yaml did not load, so owners are not checked.
    assertThat(Knowledge.load(dir, null).problems())
        .extracting(p -> p.file() + ":" + p.position() + ": " + p.message().replaceAll(" \\(expected.*", ""))
        .containsExactly(
            dir.resolve("team.yaml") + ":2:38: person 'alice': unknown role 'root'",
            dir.resolve("assets.yaml") + ":2:19: asset 'a': unknown kind 'table'");
  }

  @Test
  void missingDirectoryReportsBothFilesMissing() {
    Path dir = Fixtures.path("good").resolve("no-such-dir");

    assertThat(Knowledge.load(dir, null).problems())
        .extracting(p -> p.file() + ": " + p.message())
        .containsExactly(
            dir.resolve("team.yaml") + ": file not found",
            dir.resolve("assets.yaml") + ": file not found");
  }
}
