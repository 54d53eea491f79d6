package dev.rebound.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.engine.Actor;
import dev.rebound.error.ValidationException;
import dev.rebound.incident.Incident;
import dev.rebound.incident.IncidentService;
import dev.rebound.incident.IncidentStatus;
import dev.rebound.incident.Reporter;
import dev.rebound.incident.RunbookRef;
import dev.rebound.incident.RunbookSuggestion;
import dev.rebound.incident.SimilarIncident;
import dev.rebound.inventory.Role;
import dev.rebound.retrieval.IndexStatus;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Incidents:
 *
 * <ul>
 *   <li>{@code POST /api/incidents} (responder): report an incident (the incident file's front
 *       matter fields as JSON, plus {@code body}); 201 with the stored incident; it is indexed at
 *       once, so it is found by search and by "similar" ({@code index.incident_indexed}), unless
 *       the index is being built: then it answers at once and the incident is indexed after; the
 *       incident commits with its {@code incident.reported} audit entry naming the caller;
 *   <li>{@code GET /api/incidents?asset=&status=&limit=&before=} (viewer): the incidents, bundled
 *       and reported, newest first, one line each (no body), a page at a time ({@link Paging}:
 *       {@code next} is the id of the page's last incident, {@code before=} it gives the older
 *       ones), with {@code total}, how many match the filters on all pages together;
 *       {@code asset} keeps those that name the asset, {@code status} those in that state (open,
 *       mitigated, resolved); any other parameter is a 400;
 *   <li>{@code GET /api/incidents/{id}} (viewer);
 *   <li>{@code GET /api/incidents/{id}/similar?k=N} (viewer): similar past incidents weighing
 *       meaning, shared assets and shared symptoms, each with how it was resolved and the
 *       runbooks (and versions) used;
 *   <li>{@code GET /api/incidents/{id}/runbooks?k=N} (viewer): runbook suggestions with reasons,
 *       restricted to runbooks related to the incident's assets when those are known; each also
 *       carries the {@link RunbookAnnotations} given (e.g. {@code drill}, its drill flag).
 * </ul>
 * Each of POST, similar and runbooks also says {@code "index": {"state", "warming_up", "note"}}.
 */
public final class IncidentRoutes implements ApiRoutes {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final int DEFAULT_K = 5;
  private static final int MAX_K = 20;
  private static final List<String> LIST_PARAMS = List.of("asset", "status", "limit", "before");

  private final IncidentService incidents;
  private final List<RunbookAnnotations> annotations;

  public IncidentRoutes(IncidentService incidents) {
    this(incidents, List.of());
  }

  public IncidentRoutes(IncidentService incidents, List<RunbookAnnotations> annotations) {
    this.incidents = incidents;
    this.annotations = List.copyOf(annotations);
  }

  @Override
  public void mount(Router router, Authz authz) {
    router.post("/api/incidents").handler(authz.require(Role.RESPONDER)).handler(this::report);
    router.get("/api/incidents").handler(authz.require(Role.VIEWER)).handler(this::list);
    router.get("/api/incidents/:id").handler(authz.require(Role.VIEWER)).handler(this::get);
    router.get("/api/incidents/:id/similar").handler(authz.require(Role.VIEWER)).handler(this::similar);
    router.get("/api/incidents/:id/runbooks").handler(authz.require(Role.VIEWER)).handler(this::runbooks);
  }

  private void report(RoutingContext ctx) {
    JsonNode body;
    Reporter by;
    try {
      RequestBodies.jsonObject(ctx); // the common checks and messages for bad bodies
      body = MAPPER.readTree(ctx.body().buffer().getBytes());
      Actor caller = RunRoutes.actor(Authz.identity(ctx));
      by = new Reporter(caller.type(), caller.id(), java.util.Map.of("via", "api"));
    } catch (java.io.IOException | RuntimeException e) {
      ctx.fail(e);
      return;
    }
    incidents.open(body, by)
        .onSuccess(r -> {
          ObjectNode out = incident(r.incident());
          index(out).put("incident_indexed", r.indexed());
          Responses.json(ctx, 201, out.toString());
        })
        .onFailure(ctx::fail);
  }

  private void list(RoutingContext ctx) {
    ApiJson.reply(ctx, () -> {
      QueryParams.require(ctx.queryParams(), LIST_PARAMS);
      Optional<String> asset = filter(ctx, "asset");
      Optional<IncidentStatus> status = filter(ctx, "status").map(IncidentRoutes::status);
      int limit = Paging.limit(ctx.queryParams());
      Optional<String> before = Paging.before(ctx.queryParams());
      Predicate<Incident> filters = i -> (asset.isEmpty() || i.assets().contains(asset.get()))
          && (status.isEmpty() || i.status() == status.get());
      return incidents.store().all().map(all -> {
        List<Incident> matching = olderThan(all, before).stream().filter(filters).toList();
        List<Incident> page = matching.subList(0, Math.min(limit, matching.size()));
        ObjectNode body = ApiJson.object();
        ArrayNode out = body.putArray("incidents");
        page.forEach(i -> summary(out.addObject(), i).put("source", i.source()));
        body.put("next", matching.size() > limit ? page.get(page.size() - 1).id() : null);
        // Every page's count is the whole list's (the store holds it in memory anyway).
        body.put("total", all.stream().filter(filters).count());
        return body;
      });
    });
  }

  /** The incidents after {@code before} in the list's order (newest first): the older ones. */
  private static List<Incident> olderThan(List<Incident> all, Optional<String> before) {
    if (before.isEmpty()) {
      return all;
    }
    for (int i = 0; i < all.size(); i++) {
      if (all.get(i).id().equals(before.get())) {
        return all.subList(i + 1, all.size());
      }
    }
    throw new ValidationException("before must be the next of the page before (an incident id), got '"
        + before.get() + "', which names no incident");
  }

  private static Optional<String> filter(RoutingContext ctx, String name) {
    String value = ctx.queryParams().get(name);
    if (value != null && value.isBlank()) {
      throw new ValidationException(name + " is empty: give a value, or leave the filter out");
    }
    return Optional.ofNullable(value).map(String::strip);
  }

  private static IncidentStatus status(String text) {
    return Arrays.stream(IncidentStatus.values()).filter(s -> s.wireName().equals(text)).findFirst()
        .orElseThrow(() -> new ValidationException("status must be one of " + Arrays.stream(IncidentStatus.values())
            .map(IncidentStatus::wireName).collect(Collectors.joining(", ")) + ", got '" + text + "'"));
  }

  private void get(RoutingContext ctx) {
    ApiJson.reply(ctx, () -> incidents.get(ctx.pathParam("id")).map(IncidentRoutes::incident));
  }

  private void similar(RoutingContext ctx) {
    ApiJson.reply(ctx, () -> {
      int k = k(ctx);
      String id = ctx.pathParam("id");
      return incidents.similar(id, k).map(list -> {
        ObjectNode body = ApiJson.object();
        body.put("incident", id);
        index(body);
        ArrayNode out = body.putArray("similar");
        for (SimilarIncident s : list) {
          ObjectNode o = out.addObject();
          Incident i = s.incident();
          o.put("id", i.id());
          o.put("title", i.title());
          o.put("date", i.occurredAt().toString());
          o.put("severity", i.severity().wireName());
          o.put("status", i.status().wireName());
          o.put("score", round(s.score()));
          ObjectNode parts = o.putObject("score_parts");
          parts.put("meaning", round(s.meaning()));
          parts.put("assets", round(s.assetOverlap()));
          parts.put("symptoms", round(s.symptomOverlap()));
          strings(o.putArray("shared_assets"), s.sharedAssets());
          strings(o.putArray("related_assets"), s.relatedAssets());
          strings(o.putArray("shared_symptoms"), s.sharedSymptoms());
          strings(o.putArray("reasons"), s.reasons());
          o.put("root_cause", i.rootCause());
          o.put("resolution", i.resolution());
          strings(o.putArray("runbooks_used"), i.runbooksUsed().stream().map(RunbookRef::toString).toList());
        }
        return body;
      });
    });
  }

  private void runbooks(RoutingContext ctx) {
    ApiJson.reply(ctx, () -> {
      int k = k(ctx);
      String id = ctx.pathParam("id");
      return incidents.suggestRunbooks(id, k).compose(list -> {
        ObjectNode body = ApiJson.object();
        body.put("incident", id);
        index(body);
        ArrayNode out = body.putArray("runbooks");
        List<ObjectNode> suggested = new java.util.ArrayList<>();
        for (RunbookSuggestion s : list) {
          ObjectNode o = out.addObject();
          suggested.add(o);
          o.put("id", s.runbookId());
          o.put("version", s.version());
          o.put("title", s.title());
          o.put("score", round(s.score()));
          strings(o.putArray("reasons"), s.reasons());
        }
        return RunbookAnnotations.annotate(annotations, suggested).map(body);
      });
    });
  }

  /** The fields every view of an incident starts with, the list's line included. */
  private static ObjectNode summary(ObjectNode o, Incident i) {
    o.put("id", i.id());
    o.put("title", i.title());
    o.put("date", i.occurredAt().toString());
    o.put("severity", i.severity().wireName());
    o.put("status", i.status().wireName());
    strings(o.putArray("assets"), i.assets());
    return o;
  }

  static ObjectNode incident(Incident i) {
    ObjectNode o = summary(ApiJson.object(), i);
    strings(o.putArray("symptoms"), i.symptoms());
    i.detectedBy().ifPresentOrElse(d -> o.put("detected_by", d), () -> o.putNull("detected_by"));
    i.duration().ifPresentOrElse(d -> o.put("duration_s", d.toSeconds()), () -> o.putNull("duration_s"));
    o.put("root_cause", i.rootCause());
    o.put("resolution", i.resolution());
    strings(o.putArray("runbooks_used"), i.runbooksUsed().stream().map(RunbookRef::toString).toList());
    o.put("source", i.source());
    i.file().ifPresentOrElse(f -> o.put("file", f), () -> o.putNull("file"));
    o.put("body", i.body());
    return o;
  }

  /**
   * {@code "index": {"state", "warming_up", "note"}}: while the search index is being built,
   * similar incidents and suggestions cover only what is indexed so far, and the reader is told.
   */
  private ObjectNode index(ObjectNode body) {
    IndexStatus.State state = incidents.indexState();
    ObjectNode index = body.putObject("index");
    index.put("state", state.name().toLowerCase(java.util.Locale.ROOT));
    boolean warming = state == IndexStatus.State.INDEXING;
    index.put("warming_up", warming);
    if (warming) {
      index.put("note", "the search index is still being built: similar incidents and runbook suggestions"
          + " cover what is indexed so far");
    }
    return index;
  }

  private static int k(RoutingContext ctx) {
    List<String> values = ctx.queryParams().getAll("k");
    if (values.isEmpty()) {
      return DEFAULT_K;
    }
    try {
      int k = Integer.parseInt(values.get(0).strip());
      if (values.size() == 1 && k >= 1 && k <= MAX_K) {
        return k;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new ValidationException("k must be given once, as a whole number between 1 and " + MAX_K);
  }

  private static void strings(ArrayNode array, List<String> values) {
    values.forEach(array::add);
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }
}
