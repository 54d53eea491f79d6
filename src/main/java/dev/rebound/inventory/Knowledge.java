package dev.rebound.inventory;

import dev.rebound.yaml.YamlProblem;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The knowledge directory's structured files, loaded together: {@code assets.yaml} and
 * {@code team.yaml}. Asset owners are checked against the team only when team.yaml loaded,
 * so one broken file does not turn every owner into a follow-on error. Blocking (reads files).
 */
public record Knowledge(AssetInventory assets, TeamDirectory team) {
  public static final String ASSETS_FILE = "assets.yaml";
  public static final String TEAM_FILE = "team.yaml";

  public Knowledge {
    Objects.requireNonNull(assets, "assets");
    Objects.requireNonNull(team, "team");
  }

  /**
   * Problems of team.yaml come first, then those of assets.yaml; files are named as
   * {@code directory.resolve(name)} prints, so a relative directory gives relative names.
   *
   * @param knownRunbookIds ids of the runbooks; null skips checking {@code recovery_runbooks}
   */
  public static LoadResult<Knowledge> load(Path directory, Set<String> knownRunbookIds) {
    Path teamFile = directory.resolve(TEAM_FILE);
    Path assetsFile = directory.resolve(ASSETS_FILE);
    LoadResult<TeamDirectory> team = TeamLoader.load(teamFile, teamFile.toString());
    LoadResult<AssetInventory> assets = AssetLoader.load(assetsFile, assetsFile.toString(), knownRunbookIds,
        team.value().map(t -> (Predicate<String>) t::ownerExists).orElse(null));
    if (team.isLoaded() && assets.isLoaded()) {
      return LoadResult.ok(new Knowledge(assets.orElseThrow(), team.orElseThrow()));
    }
    List<YamlProblem> problems = new ArrayList<>(team.problems());
    problems.addAll(assets.problems());
    return LoadResult.failed(problems);
  }

  public AssetGraph graph() {
    return assets.graph();
  }
}
