package dev.rebound.incident;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rebound.audit.AuditEvent;
import dev.rebound.audit.AuditLog;
import dev.rebound.error.NotFoundException;
import dev.rebound.error.UnavailableException;
import dev.rebound.retrieval.DocKind;
import dev.rebound.retrieval.Embedder;
import dev.rebound.retrieval.HybridSearch;
import dev.rebound.retrieval.IndexStatus;
import dev.rebound.retrieval.Indexer;
import dev.rebound.retrieval.SearchQuery;
import dev.rebound.retrieval.SearchResult;
import dev.rebound.retrieval.Vectors;
import dev.rebound.runbook.RunbookCatalog;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Incidents for the API and the agent: report one, read one, find similar ones, suggest
 * runbooks. Returns futures; embedding and reading the runbook catalog (files) run on workers.
 */
public final class IncidentService {
  private static final Logger LOG = LoggerFactory.getLogger(IncidentService.class);
  private static final int QUERY_CHARS = 1500;
  /** How many similar incidents count as precedent for the runbook suggestions. */
  private static final int PRECEDENTS = 3;

  private final Vertx vertx;
  private final Pool pool;
  private final PgIncidentStore store;
  private final Indexer indexer;
  private final HybridSearch search;
  private final AssetRelations relations;
  private final Callable<RunbookCatalog> catalog;
  private final Supplier<IndexStatus.State> indexState;
  private final AuditLog audit;

  /** {@code catalog} is called on a worker thread (it may read files). */
  public IncidentService(Vertx vertx, Pool pool, Indexer indexer, HybridSearch search, AssetRelations relations,
      Callable<RunbookCatalog> catalog, AuditLog audit) {
    this(vertx, pool, indexer, search, relations, catalog, audit, () -> IndexStatus.State.UNKNOWN);
  }

  /** As above; {@code indexState} says whether the index is being built (read on the event loop, cheap). */
  public IncidentService(Vertx vertx, Pool pool, Indexer indexer, HybridSearch search, AssetRelations relations,
      Callable<RunbookCatalog> catalog, AuditLog audit, Supplier<IndexStatus.State> indexState) {
    this.audit = audit;
    this.indexState = indexState;
    this.vertx = vertx;
    this.pool = pool;
    this.store = new PgIncidentStore(pool);
    this.indexer = indexer;
    this.search = search;
    this.relations = relations;
    this.catalog = catalog;
  }

  public PgIncidentStore store() {
    return store;
  }

  /** The search index's state as last observed ({@code INDEXING} while it is being built). */
  public IndexStatus.State indexState() {
    return indexState.get();
  }

  /** As {@link #open}, the incident alone. */
  public Future<Incident> report(JsonNode body, Reporter by) {
    return open(body, by).map(Reported::incident);
  }

  /** The request with what a report may leave out filled in: the date (now) and the next id. */
  private Future<JsonNode> withDefaults(JsonNode body) {
    if (body == null || !body.isObject()) {
      return Future.succeededFuture(body); // the field checks say what is wrong with it
    }
    com.fasterxml.jackson.databind.node.ObjectNode request = body.deepCopy();
    if (!request.hasNonNull("date")) {
      // Reported now unless it says when it began (as an unset status means open).
      request.put("date", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    }
    return request.hasNonNull("id") ? Future.succeededFuture(request)
        : store.nextId(Instant.now().atOffset(ZoneOffset.UTC).getYear()).map(id -> request.put("id", id));
  }

  /**
   * Validates and stores an incident from an API body (the file format's fields, plus
   * {@code body} for the postmortem text), then indexes it so it is found at once. Without an
   * {@code id} the next {@code INC-<year>-NNN} is used, without a {@code date} now. Never waits
   * for an index run in progress (the start-up indexing of a fresh database takes minutes): the
   * incident is then indexed in
   * the background once that run ends, and the answer says it is not indexed yet. The incident
   * and its {@code incident.reported} audit entry, naming {@code by}, commit together.
   *
   * @throws InvalidIncidentException naming every bad field
   */
  public Future<Reported> open(JsonNode body, Reporter by) {
    return withDefaults(body).compose(tree -> {
      List<String> problems = new ArrayList<>();
      IncidentFields.Problems sink = new IncidentFields.Problems() {
        @Override
        public void at(String pointer, String message) {
          problems.add(pointer.isEmpty() ? message : pointer.substring(1) + ": " + message);
        }

        @Override
        public void atKey(String pointer, String message) {
          problems.add(message);
        }
      };
      Optional<Incident> incident = IncidentFields.readRequest(tree, sink, Instant.now(), relations::known);
      if (incident.isEmpty()) {
        return Future.failedFuture(InvalidIncidentException.ofFields(problems));
      }
      Incident i = incident.get();
      AuditEvent reported = AuditEvent.of(by.type(), by.id(), "incident.reported", "incident", i.id())
          .withIncident(i.id()).withDetails(by.details());
      return store.insert(i, tx -> audit.append(tx, reported))
          .compose(v -> indexer.upsertIfIdle(List.of(i.document())))
          .map(report -> {
            if (report.isEmpty()) {
              indexer.upsert(List.of(i.document())).onFailure(e -> LOG.warn(
                  "incident {} was stored but not indexed after the index run: {}", i.id(), e.getMessage()));
            }
            return new Reported(i, report.isPresent());
          });
    });
  }

  public Future<Incident> get(String id) {
    return store.get(id).compose(found -> found.map(Future::succeededFuture)
        .orElseGet(() -> Future.failedFuture(NotFoundException.of("incident", id))));
  }

  /** The {@code k} most similar other incidents, best first. */
  public Future<List<SimilarIncident>> similar(String id, int k) {
    return get(id).compose(target -> similarTo(target, k));
  }

  /** Runbooks for the incident, best first; see {@link RunbookSuggestions} for the rules. */
  public Future<List<RunbookSuggestion>> suggestRunbooks(String id, int k) {
    return suggest(id, PRECEDENTS, k).runbooks();
  }

  /**
   * Similar incidents and runbook suggestions for one incident, each computed once: the incident
   * is read once, the similar incidents (also the runbooks' precedent) scored once, and the
   * runbook search runs beside them. The two futures fail separately: a failed search fails only
   * the runbooks; failed similar incidents fail both, as the runbooks need them.
   */
  public IncidentSuggestions suggest(String id, int similarK, int runbookK) {
    Future<Incident> incident = get(id);
    Future<List<SimilarIncident>> similar = incident.compose(target -> similarTo(target, Math.max(similarK, PRECEDENTS)));
    Future<List<RunbookSuggestion>> runbooks = incident.compose(target -> {
      SearchQuery query = SearchQuery.of(queryText(target), DocKind.RUNBOOK, SearchQuery.MAX_K);
      // While the very first index is being built there is nothing to search yet: no suggestion, not an error.
      Future<SearchResult> hits = search.search(query).recover(e -> e instanceof UnavailableException
          && indexState() == IndexStatus.State.INDEXING
          ? Future.succeededFuture(new SearchResult(query, List.of(), indexer.embedder().model(), 0))
          : Future.failedFuture(e));
      Future<RunbookCatalog> runbookCatalog = vertx.executeBlocking(catalog, false);
      return Future.all(hits, similar, runbookCatalog).map(all -> new RunbookSuggestions(relations).suggest(target,
          runbookCatalog.result(), hits.result().hits(), first(similar.result(), PRECEDENTS), runbookK));
    });
    return new IncidentSuggestions(similar.map(list -> first(list, similarK)), runbooks);
  }

  private static <T> List<T> first(List<T> list, int n) {
    return list.size() <= n ? list : List.copyOf(list.subList(0, n));
  }

  private Future<List<SimilarIncident>> similarTo(Incident target, int k) {
    String id = target.id();
    return vectorOf(target).compose(vector -> pool.preparedQuery(
            "select doc_id, max(1 - (embedding <=> $1::vector)) as sim from retrieval_chunks"
                + " where kind = 'incident' and doc_id <> $2 group by doc_id")
        .execute(Tuple.of(Vectors.literal(vector), id))
        .compose(rows -> {
          Map<String, Double> meaning = new HashMap<>();
          for (Row r : rows) {
            meaning.put(r.getString("doc_id"), r.getDouble("sim"));
          }
          return store.all().map(all -> {
            SimilarityScorer scorer = new SimilarityScorer(relations);
            return all.stream()
                .filter(other -> !other.id().equals(id))
                .map(other -> scorer.score(target, other, meaning.getOrDefault(other.id(), 0.0)))
                .sorted(Comparator.comparingDouble(SimilarIncident::score).reversed()
                    .thenComparing(s -> s.incident().id()))
                .limit(k)
                .toList();
          });
        }));
  }

  /** The incident's own overview vector from the index, or embedded now when not indexed yet. */
  private Future<float[]> vectorOf(Incident incident) {
    return pool.preparedQuery("select embedding::text from retrieval_chunks where kind = 'incident' and doc_id = $1 and ord = 0")
        .execute(Tuple.of(incident.id()))
        .compose(rows -> {
          for (Row r : rows) {
            return Future.succeededFuture(Vectors.parse(r.getString(0)));
          }
          Embedder embedder = indexer.embedder();
          String text = new dev.rebound.retrieval.Chunker().chunks(incident.document()).get(0).embedText();
          return vertx.executeBlocking(() -> embedder.embed(text), false);
        });
  }

  static String queryText(Incident incident) {
    String text = incident.title() + ". " + String.join(", ", incident.symptoms()) + ". " + incident.rootCause();
    return text.length() > QUERY_CHARS ? text.substring(0, QUERY_CHARS) : text;
  }
}
