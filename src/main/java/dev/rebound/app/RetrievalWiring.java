package dev.rebound.app;

import dev.rebound.audit.AuditLog;
import dev.rebound.http.ApiRoutes;
import dev.rebound.http.IncidentRoutes;
import dev.rebound.http.SearchRoutes;
import dev.rebound.incident.IncidentService;
import dev.rebound.inventory.Knowledge;
import dev.rebound.retrieval.EmbeddingSettings;
import dev.rebound.retrieval.IndexStatus;
import dev.rebound.retrieval.MiniLmEmbedder;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retrieval and incidents in the service: the search and incident routes, the readiness check
 * that reports index staleness, and the start-up work: sync incident files and index what
 * changed, in the background (the HTTP server does not wait for it; search answers 503 until a
 * first index exists), load the in-process embedding model, then re-check staleness every
 * {@link #STALENESS_PERIOD_MS} ms.
 */
public final class RetrievalWiring {
  private static final Logger LOG = LoggerFactory.getLogger(RetrievalWiring.class);
  static final long STALENESS_PERIOD_MS = 60_000;

  private final Vertx vertx;
  private final KnowledgeIndex index;
  private final IncidentService incidents;

  private RetrievalWiring(Vertx vertx, KnowledgeIndex index, IncidentService incidents) {
    this.vertx = vertx;
    this.index = index;
    this.incidents = incidents;
  }

  public static RetrievalWiring create(Vertx vertx, Pool pool, Workspace workspace, Knowledge knowledge,
      RunbookRepository runbooks, EmbeddingSettings embedding, AuditLog audit) {
    KnowledgeIndex index = new KnowledgeIndex(vertx, pool, workspace, embedding.create());
    return new RetrievalWiring(vertx, index, index.incidentService(pool, knowledge, runbooks, audit));
  }

  /** The incident service behind {@code /api/incidents} (Slack and alert intake open incidents through it). */
  public IncidentService incidents() {
    return incidents;
  }

  public ApiRoutes[] routes() {
    return routes(java.util.List.of());
  }

  /** The routes, runbook search hits and suggestions annotated (e.g. with their drill flag). */
  public ApiRoutes[] routes(java.util.List<dev.rebound.http.RunbookAnnotations> annotations) {
    return new ApiRoutes[] {new SearchRoutes(index.search(), annotations), new IncidentRoutes(incidents, annotations)};
  }

  public IndexStatus readiness() {
    return index.status();
  }

  public KnowledgeIndex index() {
    return index;
  }

  /** Starts the background work; failures are logged and shown by readiness, never thrown. */
  public void startBackground() {
    // The in-process model takes ~1.6 s to load: at start, not in the first search.
    if (index.search().embedder() instanceof MiniLmEmbedder model) {
      vertx.executeBlocking(model::warmUp, false)
          .onFailure(e -> LOG.warn("embedding model not loaded at start: {}", e.getMessage()));
    }
    index.refreshIfStale()
        .onSuccess(v -> LOG.info("retrieval index: {}", index.status().staleness().map(s -> s.describe()).orElse("checked")))
        .onFailure(e -> LOG.warn("retrieval index not refreshed at start: {}", e.getMessage()));
    vertx.setPeriodic(STALENESS_PERIOD_MS, STALENESS_PERIOD_MS, id -> {
      if (index.status().state() != IndexStatus.State.INDEXING) {
        index.staleness().onFailure(e -> LOG.debug("staleness check failed: {}", e.getMessage()));
      }
    });
  }
}
