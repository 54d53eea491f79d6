package dev.rebound.cli;

import dev.rebound.app.KnowledgeIndex;
import dev.rebound.app.Workspace;
import dev.rebound.config.ReboundConfig;
import dev.rebound.incident.Incident;
import dev.rebound.incident.IncidentLoader;
import dev.rebound.incident.InvalidIncidentException;
import dev.rebound.inventory.AssetLoader;
import dev.rebound.inventory.Knowledge;
import dev.rebound.inventory.TeamLoader;
import dev.rebound.runbook.LintContext;
import dev.rebound.runbook.LintFinding;
import dev.rebound.runbook.LoadResult;
import dev.rebound.runbook.Runbook;
import dev.rebound.runbook.RunbookCatalog;
import dev.rebound.runbook.RunbookLinter;
import dev.rebound.runbook.RunbookLoader;
import dev.rebound.yaml.SourcePosition;
import dev.rebound.yaml.YamlProblem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Collects what {@code rebound lint} reports: load problems and lint findings of runbooks, and
 * load problems of the knowledge files, grouped by file in a stable order. Runbooks are checked
 * against the {@code --runbooks} catalog (for related runbooks) and the {@code --knowledge}
 * files, whichever paths were named.
 */
final class LintRun {
  private final CliContext context;
  private final ReboundConfig config;
  private final RunbookLinter linter = new RunbookLinter();
  private final List<LintFinding> findings = new ArrayList<>();
  private final List<Runbook> runbooks = new ArrayList<>();
  private int runbookFiles;
  private int knowledgeFiles;
  private int incidentFiles;
  private int drillFiles;
  /** The first incident file read with each id, for telling a second file with one of them. */
  private final Map<String, Path> incidentFilesById = new HashMap<>();

  private LintRun(CliContext context) {
    this.context = context;
    this.config = context.config();
  }

  /** Every runbook in {@code --runbooks}, plus assets.yaml, team.yaml and incidents/*.md in {@code --knowledge}. */
  static LintRun everything(CliContext context) {
    LintRun run = new LintRun(context);
    RunbookCatalog catalog = RunbookCatalog.load(context.runbooksDir());
    KnowledgeFiles knowledge = KnowledgeFiles.load(context.knowledgeDir(), RunbookFiles.knownIds(catalog));
    run.knowledgeFiles = 2;
    knowledge.problems().forEach(p -> run.findings.add(LintFinding.error(p)));
    run.addIncidents(context.knowledgeDir().resolve(KnowledgeIndex.INCIDENTS_DIR));
    run.addCatalog(catalog, knowledge.lintContext(run.config, catalog.ids(),
        context.runbooksDir().resolve(Workspace.SCRIPTS_DIR)));
    var drills = DrillScenarios.load(context, catalog, knowledge.assetIds());
    run.drillFiles = drills.scenarios().size() + (int) drills.problems().stream().map(p -> p.file()).distinct().count();
    drills.problems().forEach(p -> run.findings.add(LintFinding.error(p)));
    return run.sorted();
  }

  /** A markdown file in an {@code incidents} directory (other markdown, e.g. knowledge docs, is no incident). */
  private static boolean isIncidentFile(Path path) {
    Path parent = path.getParent();
    return path.getFileName().toString().endsWith(".md") && parent != null && parent.getFileName() != null
        && parent.getFileName().toString().equals(KnowledgeIndex.INCIDENTS_DIR);
  }

  /**
   * The named runbook files, runbook directories, assets.yaml and team.yaml files, incident files
   * ({@code *.md}) and directories of them ({@code incidents}, and that of a knowledge directory).
   */
  static LintRun of(CliContext context, List<String> paths) {
    LintRun run = new LintRun(context);
    List<Path> dirs = new ArrayList<>();
    List<Path> files = new ArrayList<>();
    List<Path> teams = new ArrayList<>();
    List<Path> assets = new ArrayList<>();
    List<Path> incidents = new ArrayList<>();
    for (Path path : new LinkedHashSet<>(paths.stream().map(p -> context.names().resolve(p)).toList())) {
      String name = path.getFileName() == null ? "" : path.getFileName().toString();
      if (Files.isDirectory(path) && isKnowledgeDir(path)) {
        teams.add(path.resolve(Knowledge.TEAM_FILE));
        assets.add(path.resolve(Knowledge.ASSETS_FILE));
        incidents.add(path.resolve(KnowledgeIndex.INCIDENTS_DIR));
      } else if (Files.isDirectory(path) ? name.equals(KnowledgeIndex.INCIDENTS_DIR) : isIncidentFile(path)) {
        incidents.add(path);
      } else if (Files.isDirectory(path)) {
        dirs.add(path);
      } else if (name.equals(Knowledge.TEAM_FILE)) {
        teams.add(path);
      } else if (name.equals(Knowledge.ASSETS_FILE)) {
        assets.add(path);
      } else if (name.endsWith(".md")) {
        // Knowledge docs have no schema: markdown is indexed as written, section by section.
        run.findings.add(LintFinding.warning(new YamlProblem(path.toString(), SourcePosition.START, "not checked:"
            + " lint takes runbooks (.yaml), assets.yaml, team.yaml and incident files (incidents/*.md); other"
            + " markdown is indexed as written")));
      } else {
        files.add(path);
      }
    }
    RunbookLoader loader = new RunbookLoader();
    List<RunbookCatalog> catalogs = dirs.stream().map(d -> RunbookCatalog.load(d, loader)).toList();
    List<LoadResult> loaded = files.stream().map(loader::load).toList();

    // References resolve against the --runbooks catalog plus everything named here.
    RunbookCatalog base = RunbookCatalog.load(context.runbooksDir(), loader);
    Set<String> ids = new HashSet<>(base.ids());
    catalogs.forEach(c -> ids.addAll(c.ids()));
    loaded.forEach(l -> l.runbook().ifPresent(r -> ids.add(r.id())));
    Set<String> likelyIds = new HashSet<>(ids);
    likelyIds.addAll(RunbookFiles.knownIds(base));
    catalogs.forEach(c -> likelyIds.addAll(RunbookFiles.knownIds(c)));
    KnowledgeFiles knowledge = KnowledgeFiles.load(context.knowledgeDir(), likelyIds);

    for (int i = 0; i < dirs.size(); i++) {
      run.addCatalog(catalogs.get(i),
          knowledge.lintContext(run.config, ids, dirs.get(i).resolve(Workspace.SCRIPTS_DIR)));
    }
    for (int i = 0; i < files.size(); i++) {
      run.runbookFiles++;
      LintContext lintContext = knowledge.lintContext(run.config, ids,
          RunbookFiles.scriptsDirFor(files.get(i), context.runbooksDir()));
      run.findings.addAll(run.linter.lint(loaded.get(i), lintContext));
      loaded.get(i).runbook().ifPresent(run.runbooks::add);
    }
    for (Path team : teams) {
      run.knowledgeFiles++;
      TeamLoader.load(team, team.toString()).problems().forEach(p -> run.findings.add(LintFinding.error(p)));
    }
    for (Path file : assets) {
      run.knowledgeFiles++;
      // Owners are checked against the team.yaml beside it, when that one loads.
      var team = TeamLoader.load(file.resolveSibling(Knowledge.TEAM_FILE));
      Predicate<String> ownerExists = team.value().map(t -> (Predicate<String>) t::ownerExists).orElse(null);
      AssetLoader.load(file, file.toString(), likelyIds, ownerExists)
          .problems().forEach(p -> run.findings.add(LintFinding.error(p)));
    }
    incidents.forEach(run::addIncidents);
    return run.sorted();
  }

  /**
   * An incident file ({@code *.md}), or every {@code *.md} of a directory of them (none when it
   * does not exist), read as the incident sync reads them: a file that does not load is skipped
   * there, so here it is an error.
   */
  private void addIncidents(Path fileOrDir) {
    IncidentLoader loader = new IncidentLoader();
    boolean oneFile = fileOrDir.toString().endsWith(".md");
    IncidentLoader.Loaded loaded = oneFile ? loadOne(loader, fileOrDir) : loader.loadAll(fileOrDir);
    incidentFiles += loaded.incidents().size() + (int) loaded.problems().stream().map(YamlProblem::file).distinct().count();
    loaded.problems().forEach(p -> findings.add(LintFinding.error(p)));
    for (Incident incident : loaded.incidents()) {
      Path file = oneFile ? fileOrDir : fileOrDir.resolve(incident.file().orElseThrow());
      Path first = incidentFilesById.putIfAbsent(incident.id(), file);
      if (first != null && !first.toAbsolutePath().normalize().equals(file.toAbsolutePath().normalize())) {
        // The sync reads them in the same order and skips all but the first.
        findings.add(LintFinding.error(loader.problemAtId(file, "incident id '" + incident.id()
            + "' is already the id of " + first + ": the incident sync skips this file")));
      }
    }
  }

  private static IncidentLoader.Loaded loadOne(IncidentLoader loader, Path file) {
    try {
      return new IncidentLoader.Loaded(List.of(loader.load(file)), List.of());
    } catch (InvalidIncidentException e) {
      return new IncidentLoader.Loaded(List.of(), e.positionedProblems());
    }
  }

  /** A directory with team.yaml or assets.yaml is a knowledge directory, not one of runbooks. */
  private static boolean isKnowledgeDir(Path dir) {
    return Files.isRegularFile(dir.resolve(Knowledge.TEAM_FILE)) || Files.isRegularFile(dir.resolve(Knowledge.ASSETS_FILE));
  }

  private void addCatalog(RunbookCatalog catalog, LintContext lintContext) {
    runbookFiles += fileCount(catalog);
    findings.addAll(catalog.lint(lintContext, linter));
    runbooks.addAll(catalog.runbooks());
  }

  /** Files the catalog read: the loaded runbooks and the files that failed (not the directory itself). */
  private static int fileCount(RunbookCatalog catalog) {
    Set<String> files = new HashSet<>();
    catalog.runbooks().forEach(r -> files.add(r.file()));
    catalog.problems().stream()
        .filter(p -> !p.message().equals("runbooks directory not found"))
        .map(YamlProblem::file)
        .forEach(files::add);
    return files.size();
  }

  /** Grouped by file (stable: within a file the loaders' and linter's position order stays). */
  private LintRun sorted() {
    findings.sort(Comparator.comparing(f -> f.problem().file()));
    runbooks.sort(Comparator.comparing(Runbook::id));
    return this;
  }

  List<LintFinding> findings() {
    return findings;
  }

  List<Runbook> runbooks() {
    return runbooks;
  }

  long errors() {
    return findings.stream().filter(LintFinding::isError).count();
  }

  long warnings() {
    return findings.size() - errors();
  }

  /** {@code 7 runbooks, 2 knowledge files, 31 incidents: 0 errors, 3 warnings}. */
  String summary() {
    return Words.count(runbookFiles, "runbook") + ", " + Words.count(knowledgeFiles, "knowledge file")
        + (incidentFiles == 0 ? "" : ", " + Words.count(incidentFiles, "incident"))
        + (drillFiles == 0 ? "" : ", " + Words.count(drillFiles, "drill scenario")) + ": "
        + Words.count(errors(), "error") + ", " + Words.count(warnings(), "warning");
  }
}
