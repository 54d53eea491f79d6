package dev.rebound.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rebound.yaml.YamlProblem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each file under bad-assets/ and bad-team/ states the problems it must produce in its own
 * {@code # expect: line:col: message} comments, so a fixture and its expectation cannot drift
 * apart. The list must match exactly: a missing problem and an extra one both fail.
 */
class BadFixturesTest {
  private static final String EXPECT = "# expect: ";

  static Stream<String> badAssets() throws IOException {
    return fixtures("bad-assets");
  }

  static Stream<String> badTeams() throws IOException {
    return fixtures("bad-team");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badAssets")
  void badAssetFixtureYieldsExactlyTheExpectedProblems(String name) throws IOException {
    Path file = Fixtures.path("bad-assets/" + name);
    LoadResult<AssetInventory> result =
        AssetLoader.load(file, name, Fixtures.RUNBOOKS, Set.of("alice", "ml-platform")::contains);

    assertThat(rendered(result.problems(), name)).containsExactlyElementsOf(expected(file));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badTeams")
  void badTeamFixtureYieldsExactlyTheExpectedProblems(String name) throws IOException {
    Path file = Fixtures.path("bad-team/" + name);

    assertThat(rendered(TeamLoader.load(file, name).problems(), name)).containsExactlyElementsOf(expected(file));
  }

  private static Stream<String> fixtures(String dir) throws IOException {
    try (Stream<Path> files = Files.list(Fixtures.path(dir))) {
      List<String> names = files.map(p -> p.getFileName().toString()).sorted().toList();
      assertThat(names).as("fixtures in " + dir).isNotEmpty();
      return names.stream();
    }
  }

  private static List<String> expected(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file).stream()
        .filter(l -> l.startsWith(EXPECT))
        .map(l -> l.substring(EXPECT.length()))
        .toList();
    assertThat(lines).as(file + " must declare its expected problems").isNotEmpty();
    return lines;
  }

  /** Drops the file name, which the expectation lines leave out. */
  private static List<String> rendered(List<YamlProblem> problems, String name) {
    problems.forEach(p -> assertThat(p.file()).isEqualTo(name));
    return problems.stream().map(p -> p.position() + ": " + p.message()).toList();
  }
}
