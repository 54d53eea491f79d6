package dev.rebound.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rebound.config.ReboundConfig;
import dev.rebound.inventory.AssetInventory;
import dev.rebound.inventory.AssetLoader;
import dev.rebound.inventory.Knowledge;
import dev.rebound.inventory.LoadResult;
import dev.rebound.inventory.TeamDirectory;
import dev.rebound.inventory.TeamLoader;
import dev.rebound.runbook.LintContext;
import dev.rebound.yaml.PositionedYaml;
import dev.rebound.yaml.YamlProblem;
import dev.rebound.yaml.YamlSyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * {@code team.yaml} and {@code assets.yaml} loaded one by one (as {@link Knowledge#load} does),
 * keeping each file's outcome. Lint needs that: when one file is broken, runbooks are still
 * checked against the ids that can be read from it, instead of every asset reference turning
 * into a follow-on "unknown asset" error.
 */
record KnowledgeFiles(LoadResult<TeamDirectory> team, LoadResult<AssetInventory> assets, Set<String> personIds,
    Set<String> assetIds) {

  static KnowledgeFiles load(Path directory, Set<String> knownRunbookIds) {
    return load(directory.resolve(Knowledge.TEAM_FILE), directory.resolve(Knowledge.ASSETS_FILE), knownRunbookIds);
  }

  /** @param knownRunbookIds for {@code recovery_runbooks}; null skips that check */
  static KnowledgeFiles load(Path teamFile, Path assetsFile, Set<String> knownRunbookIds) {
    LoadResult<TeamDirectory> team = TeamLoader.load(teamFile, teamFile.toString());
    LoadResult<AssetInventory> assets = AssetLoader.load(assetsFile, assetsFile.toString(), knownRunbookIds,
        team.value().map(t -> (Predicate<String>) t::ownerExists).orElse(null));
    Set<String> people = team.value()
        .map(t -> ids(t.people().stream().map(p -> p.id()).toList()))
        .orElseGet(() -> idsReadable(teamFile, "people"));
    Set<String> assetIds = assets.value()
        .map(a -> ids(a.assets().stream().map(x -> x.id()).toList()))
        .orElseGet(() -> idsReadable(assetsFile, "assets"));
    return new KnowledgeFiles(team, assets, people, assetIds);
  }

  /** team.yaml's problems, then assets.yaml's, each in line order. */
  List<YamlProblem> problems() {
    List<YamlProblem> all = new ArrayList<>(team.problems());
    all.addAll(assets.problems());
    return all;
  }

  /** What runbooks are checked against; the scripts directory is where their commands must live. */
  LintContext lintContext(ReboundConfig config, Set<String> runbookIds, Path scriptsDir) {
    return new LintContext(assetIds, runbookIds, personIds, config.templateEnv().declared().keySet(),
        config.datasources().keySet(), config.environments(), scriptsDir);
  }

  private static Set<String> ids(List<String> ids) {
    return Set.copyOf(new LinkedHashSet<>(ids));
  }

  /** The {@code id} of each entry under {@code listKey}, as far as the file parses at all. */
  private static Set<String> idsReadable(Path file, String listKey) {
    Set<String> ids = new LinkedHashSet<>();
    try {
      for (JsonNode entry : PositionedYaml.read(file, file.toString()).root().path(listKey)) {
        if (entry.path("id").isTextual()) {
          ids.add(entry.path("id").asText());
        }
      }
    } catch (YamlSyntaxException e) {
      // nothing readable: references to this file are then all reported
    }
    return Set.copyOf(ids);
  }
}
