package dev.rebound.app;

import dev.rebound.audit.AuditLog;
import dev.rebound.incident.AssetRelations;
import dev.rebound.incident.Incident;
import dev.rebound.incident.IncidentLoader;
import dev.rebound.incident.IncidentService;
import dev.rebound.incident.IncidentSync;
import dev.rebound.incident.PgIncidentStore;
import dev.rebound.inventory.Knowledge;
import dev.rebound.inventory.LoadResult;
import dev.rebound.retrieval.AssetDocuments;
import dev.rebound.retrieval.DocKind;
import dev.rebound.retrieval.Document;
import dev.rebound.retrieval.Embedder;
import dev.rebound.retrieval.HybridSearch;
import dev.rebound.retrieval.IndexProgress;
import dev.rebound.retrieval.IndexReport;
import dev.rebound.retrieval.IndexStatus;
import dev.rebound.retrieval.Indexer;
import dev.rebound.retrieval.Markdown;
import dev.rebound.retrieval.RunbookDocuments;
import dev.rebound.retrieval.Staleness;
import dev.rebound.runbook.Runbook;
import dev.rebound.runbook.RunbookCatalog;
import dev.rebound.yaml.YamlProblem;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * What gets indexed and keeping it indexed: runbooks, knowledge docs ({@code knowledge/docs/**.md}),
 * assets and incidents (files synced into the incidents table first, plus those reported through
 * the API). Used by {@code rebound index}, {@code rebound search} and the service (index at start
 * when stale, staleness for readiness). Reading files runs on workers; everything returns futures.
 */
public final class KnowledgeIndex {
  public static final String DOCS_DIR = "docs";
  public static final String INCIDENTS_DIR = "incidents";

  private final Vertx vertx;
  private final Workspace workspace;
  private final Indexer indexer;
  private final HybridSearch search;
  private final PgIncidentStore incidents;
  private final IndexStatus status = new IndexStatus();

  public KnowledgeIndex(Vertx vertx, Pool pool, Workspace workspace, Embedder embedder) {
    this.vertx = vertx;
    this.workspace = workspace;
    this.indexer = new Indexer(vertx, pool, embedder);
    this.search = new HybridSearch(vertx, pool, embedder);
    this.incidents = new PgIncidentStore(pool);
  }

  /** The result of {@link #refresh}: what the incident sync and the index run did. */
  public record Refresh(IncidentSync.Report incidents, IndexReport index, List<YamlProblem> problems) {}

  public HybridSearch search() {
    return search;
  }

  public Indexer indexer() {
    return indexer;
  }

  public IndexStatus status() {
    return status;
  }

  /** {@code audit} records the incidents it opens. */
  public IncidentService incidentService(Pool pool, Knowledge knowledge, RunbookRepository runbooks, AuditLog audit) {
    return new IncidentService(vertx, pool, indexer, search, new AssetRelations(knowledge.assets()), runbooks::current,
        audit, status::state);
  }

  /**
   * Syncs incident files into the database, then indexes everything (see {@link Indexer}). The
   * incident files are read once, for both: their problems are the sync's, reported once.
   */
  public Future<Refresh> refresh(boolean reindex, IndexProgress progress) {
    status.indexing();
    return vertx.executeBlocking(() -> new IncidentLoader().loadAll(incidentsDir()), false)
        .compose(loaded -> new IncidentSync(incidents).sync(loaded)
            .compose(synced -> corpus(loaded).compose(corpus -> indexer.index(corpus.documents(), reindex, progress)
                .map(report -> {
                  List<YamlProblem> problems = new ArrayList<>(synced.problems());
                  problems.addAll(corpus.problems());
                  return new Refresh(synced, report, problems);
                }))))
        .onSuccess(r -> status.indexed(r.index()))
        .onFailure(status::failed)
        .compose(r -> staleness().map(s -> r).recover(e -> Future.succeededFuture(r)));
  }

  /** Compares files (and API incidents) with the index, without changing either. */
  public Future<Staleness> staleness() {
    return vertx.executeBlocking(() -> new IncidentLoader().loadAll(incidentsDir()), false)
        .compose(this::corpus)
        .compose(corpus -> indexer.staleness(corpus.documents())).onSuccess(status::checked);
  }

  /** At service start: refresh only when something changed, so a restart costs no embedding. */
  public Future<Void> refreshIfStale() {
    return staleness().compose(s -> s.reindexRequired().isPresent() || !s.stale()
        ? Future.<Void>succeededFuture()
        : refresh(false, IndexProgress.NONE).mapEmpty());
  }

  private record Corpus(List<Document> documents, List<YamlProblem> problems) {}

  /**
   * Documents from files (blocking, on a worker) plus incidents: {@code incidentFiles} as read
   * from disk, API ones from the table. The problems are those of the other files.
   */
  private Future<Corpus> corpus(IncidentLoader.Loaded incidentFiles) {
    Future<Corpus> files = vertx.executeBlocking(() -> fileDocuments(incidentFiles), false);
    return files.compose(c -> incidents.all().map(stored -> {
      List<Document> docs = new ArrayList<>(c.documents());
      List<String> fromFiles = docs.stream().filter(d -> d.kind() == DocKind.INCIDENT).map(Document::id).toList();
      stored.stream().filter(i -> i.file().isEmpty() && !fromFiles.contains(i.id())).map(Incident::document).forEach(docs::add);
      return new Corpus(docs, c.problems());
    }));
  }

  private Corpus fileDocuments(IncidentLoader.Loaded incidentFiles) {
    List<Document> docs = new ArrayList<>();
    List<YamlProblem> problems = new ArrayList<>();
    Path root = workspace.runbooksDir().getParent() == null ? Path.of("") : workspace.runbooksDir().getParent();
    RunbookCatalog catalog = workspace.loadRunbooks();
    problems.addAll(catalog.problems());
    for (Runbook r : catalog.runbooks()) {
      docs.add(RunbookDocuments.of(r, r.path().map(p -> relative(root, p)).orElse(r.id())));
    }
    LoadResult<Knowledge> knowledge = workspace.loadKnowledge(catalog.ids());
    problems.addAll(knowledge.problems());
    Path assetsFile = workspace.knowledgeDir().resolve(Knowledge.ASSETS_FILE);
    knowledge.value().ifPresent(k -> k.assets().assets().forEach(a -> docs.add(AssetDocuments.of(a, relative(root, assetsFile)))));
    docs.addAll(markdownDocs(workspace.knowledgeDir().resolve(DOCS_DIR), root));
    incidentFiles.incidents().forEach(i -> docs.add(i.document()));
    return new Corpus(docs, problems);
  }

  private static List<Document> markdownDocs(Path dir, Path root) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      List<Document> docs = new ArrayList<>();
      for (Path p : walk.filter(f -> f.toString().endsWith(".md") && Files.isRegularFile(f)).sorted().toList()) {
        String id = dir.relativize(p).toString().replace('\\', '/').replaceAll("\\.md$", "");
        docs.add(Markdown.document(DocKind.DOC, id, null, Files.readString(p, StandardCharsets.UTF_8), relative(root, p)));
      }
      return docs;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + dir, e);
    }
  }

  private Path incidentsDir() {
    return workspace.knowledgeDir().resolve(INCIDENTS_DIR);
  }

  private static String relative(Path root, Path file) {
    Path abs = file.toAbsolutePath().normalize();
    Path base = root.toAbsolutePath().normalize();
    return abs.startsWith(base) ? base.relativize(abs).toString() : abs.toString();
  }
}
