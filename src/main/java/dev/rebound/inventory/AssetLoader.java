package dev.rebound.inventory;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rebound.yaml.PositionedYaml;
import dev.rebound.yaml.YamlSyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Loads {@code knowledge/assets.yaml}. Every problem is collected (syntax, unknown keys, missing
 * or bad fields, duplicate ids, dangling references, cycles, unknown runbooks and owners) and
 * returned together; an inventory is returned only when there are none. Blocking (reads a file).
 */
public final class AssetLoader {
  private AssetLoader() {}

  /** Messages name the file as {@code file.toString()}; runbook references are checked unless null. */
  public static LoadResult<AssetInventory> load(Path file, Set<String> knownRunbookIds) {
    return load(file, file.toString(), knownRunbookIds, null);
  }

  /**
   * @param knownRunbookIds ids of existing runbooks; null skips that check (e.g. when the
   *     runbooks themselves failed to load, to avoid a cascade of follow-on errors)
   * @param ownerExists whether an owner id names a team or person ({@link TeamDirectory#ownerExists});
   *     null skips that check
   */
  public static LoadResult<AssetInventory> load(
      Path file, String displayName, Set<String> knownRunbookIds, Predicate<String> ownerExists) {
    try {
      return check(PositionedYaml.read(file, displayName), knownRunbookIds, ownerExists);
    } catch (YamlSyntaxException e) {
      return LoadResult.failed(List.of(e.problem()));
    }
  }

  /** As {@link #load(Path, String, Set, Predicate)}, from text already in memory. */
  public static LoadResult<AssetInventory> parse(
      String text, String displayName, Set<String> knownRunbookIds, Predicate<String> ownerExists) {
    try {
      return check(PositionedYaml.parse(text, displayName), knownRunbookIds, ownerExists);
    } catch (YamlSyntaxException e) {
      return LoadResult.failed(List.of(e.problem()));
    }
  }

  private static LoadResult<AssetInventory> check(
      PositionedYaml yaml, Set<String> knownRunbookIds, Predicate<String> ownerExists) {
    Problems problems = new Problems(yaml);
    List<AssetDraft> drafts = drafts(yaml, problems);
    Map<String, AssetDraft> byId = AssetChecks.uniqueIds(drafts, problems);
    AssetChecks.references(drafts, byId.keySet(), knownRunbookIds, ownerExists, problems);
    AssetChecks.cycles(byId, problems);
    if (!problems.isEmpty()) {
      return LoadResult.failed(problems.sorted());
    }
    return LoadResult.ok(new AssetInventory(drafts.stream().map(AssetDraft::asset).toList()));
  }

  private static List<AssetDraft> drafts(PositionedYaml yaml, Problems problems) {
    List<AssetDraft> drafts = new ArrayList<>();
    MappingReader.of(problems, yaml.root(), "", "top level").ifPresent(top -> {
      top.allowOnly(List.of("assets"));
      top.list("assets", true).ifPresent(list -> {
        for (int i = 0; i < list.size(); i++) {
          JsonNode entry = list.get(i);
          AssetReader.read(problems, entry, "/assets/" + i, i + 1).ifPresent(drafts::add);
        }
      });
    });
    return drafts;
  }
}
