package dev.rebound.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.app.Bootstrap;
import dev.rebound.engine.check.ParamChoiceReader;
import dev.rebound.engine.target.TargetCallException;
import dev.rebound.error.ConflictException;
import dev.rebound.error.ForbiddenException;
import dev.rebound.error.NotFoundException;
import dev.rebound.inventory.LoadResult;
import dev.rebound.inventory.Role;
import dev.rebound.runbook.InvalidParametersException;
import dev.rebound.runbook.LintFinding;
import dev.rebound.runbook.ParamSpec;
import dev.rebound.runbook.Plan;
import dev.rebound.runbook.Runbook;
import dev.rebound.runbook.RunbookCatalog;
import dev.rebound.runbook.RunbookLinter;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Runbooks as the console and scripts see them:
 *
 * <ul>
 *   <li>{@code GET /api/runbooks} (viewer): every loaded runbook with its approval status, plus
 *       the load problems of files that did not load, so a broken file is visible, not missing;
 *   <li>{@code GET /api/runbooks/{id}} (viewer): the parsed file, parameters, lint, status;
 *   <li>{@code GET /api/runbooks/{id}/plan?param=value…} (viewer): the dry run with real
 *       parameters (secret env values masked); executes nothing;
 *   <li>{@code GET /api/runbooks/{id}/params/{name}/choices} (responder): the candidate values of a
 *       parameter whose schema names {@code choices}, read from its datasource in a read-only
 *       transaction ({@link ParamChoiceReader}); a datasource that fails is said in
 *       {@code problem}, with no candidates, so the form still works by hand; rows the parameter
 *       would refuse (NULL, or failing its type or schema) are not offered but listed in
 *       {@code left_out}, each saying why. Only for a runbook
 *       that may start (approved as it is on disk, active): the query is the author's text and
 *       reaches a production datasource, so it runs only once a second person approved it (409);
 *   <li>{@code POST /api/runbooks/{id}/approve} (approver): approves the version on disk for the
 *       authenticated person; the rules (four eyes, lint clean, version match, the content hash
 *       reviewed when the body names it) are
 *       {@link dev.rebound.app.RunbookApprovals}'s.
 * </ul>
 *
 * The catalog is re-read from disk when a file changed ({@code RunbookRepository.current()},
 * blocking), so every answer, and every approval, is about the files as they are now.
 */
public final class RunbookRoutes implements ApiRoutes {
  /** A person waits for the candidates while filling a form: a slow datasource is reported, not waited for. */
  static final Duration CHOICES_TIMEOUT = Duration.ofSeconds(3);

  private final Bootstrap.Services services;
  private final ParamChoiceReader choiceReader;

  public RunbookRoutes(Bootstrap.Services services) {
    this.services = services;
    this.choiceReader = ParamChoiceReader.standard(services.workspace().config(), CHOICES_TIMEOUT);
  }

  @Override
  public void mount(Router router, Authz authz) {
    router.get("/api/runbooks").handler(authz.require(Role.VIEWER)).handler(this::list);
    router.get("/api/runbooks/:id").handler(authz.require(Role.VIEWER)).handler(this::get);
    router.get("/api/runbooks/:id/plan").handler(authz.require(Role.VIEWER)).handler(this::plan);
    router.get("/api/runbooks/:id/params/:name/choices").handler(authz.require(Role.RESPONDER)).handler(this::choices);
    router.post("/api/runbooks/:id/approve").handler(authz.require(Role.APPROVER)).handler(this::approve);
  }

  private void list(RoutingContext ctx) {
    ApiJson.reply(ctx, () -> blocking(ctx, () -> services.runbooks().current()).compose(catalog -> {
      List<Future<ObjectNode>> entries = catalog.runbooks().stream()
          .map(r -> services.statuses().of(r).map(status -> RunbookJson.summary(r, status)))
          .toList();
      return Future.all(entries).map(all -> {
        ObjectNode body = ApiJson.object();
        ArrayNode runbooks = body.putArray("runbooks");
        entries.forEach(entry -> runbooks.add(entry.result()));
        ArrayNode problems = body.putArray("problems");
        catalog.problems().forEach(problem -> problems.add(problem.toString()));
        return body;
      });
    }));
  }

  private void get(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    ApiJson.reply(ctx, () -> blocking(ctx, () -> {
          // Lint reads the scripts directory (command checks), so it runs here too.
          RunbookCatalog catalog = services.runbooks().current();
          Runbook runbook = find(catalog, id);
          List<LintFinding> findings = new RunbookLinter().lint(runbook,
              services.workspace().lintContext(catalog, LoadResult.ok(services.knowledge())));
          return new Linted(runbook, findings);
        })
        .compose(linted -> services.statuses().of(linted.runbook())
            .map(status -> RunbookJson.detail(linted.runbook(), status, linted.findings()))));
  }

  private void plan(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    ApiJson.reply(ctx, () -> {
      Map<String, String> params = queryParams(ctx.queryParams());
      return blocking(ctx, () -> {
            Runbook runbook = find(services.runbooks().current(), id);
            return new Rendered(runbook, services.workspace().planRenderer().render(runbook, params));
          })
          .compose(rendered -> services.statuses().of(rendered.runbook()).map(status -> {
            ObjectNode body = rendered.plan().toJson();
            body.set("status", RunbookJson.status(status));
            return body;
          }));
    });
  }

  private void choices(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    String name = ctx.pathParam("name");
    ApiJson.reply(ctx, () -> blocking(ctx, () -> {
      Runbook runbook = find(services.runbooks().current(), id);
      ParamSpec param = runbook.param(name).orElseThrow(() -> new NotFoundException("runbook " + id
          + " has no parameter '" + name + "' (it has: " + String.join(", ", runbook.params().stream()
              .map(ParamSpec::name).toList()) + ")"));
      param.choices().orElseThrow(() -> new NotFoundException("parameter " + name
          + " of runbook " + id + " names no choices (a 'choices' query in its schema)"));
      return new Chosen(runbook, param);
    }).compose(chosen -> services.statuses().gate().refusal(chosen.runbook()).compose(refusal -> refusal.isPresent()
        ? Future.failedFuture(new ConflictException("choices are read only from a runbook that may start,"
            + " its query reviewed by a second person: " + refusal.get()))
        : blocking(ctx, () -> read(chosen.runbook().id(), chosen.param())))));
  }

  /**
   * The candidates as the route answers them; a datasource that fails is said in {@code problem},
   * rows the parameter would refuse in {@code left_out}.
   */
  private ObjectNode read(String id, ParamSpec param) {
    ObjectNode body = ApiJson.object();
    body.put("runbook_id", id);
    body.put("param", param.name());
    body.put("datasource", param.choices().orElseThrow().datasource());
    body.put("limit", ParamChoiceReader.LIMIT);
    ArrayNode out = body.putArray("choices");
    ArrayNode leftOut = body.putArray("left_out");
    try {
      ParamChoiceReader.Candidates candidates = choiceReader.candidates(param);
      for (ParamChoiceReader.Choice choice : candidates.offered()) {
        out.addObject().put("value", choice.value()).put("label", choice.label());
      }
      candidates.leftOut().forEach(leftOut::add);
      body.putNull("problem");
    } catch (TargetCallException e) {
      body.put("problem", e.getMessage());
    }
    return body;
  }

  private record Chosen(Runbook runbook, ParamSpec param) {}

  private void approve(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    ApiJson.reply(ctx, () -> {
      Identity identity = Authz.identity(ctx);
      if (Identity.VIA_ADMIN_TOKEN.equals(identity.via())) {
        // An approval must name the person who gave it; the break-glass token names nobody.
        throw new ForbiddenException("the admin token is not a person and cannot approve runbooks:"
            + " use a token issued to an approver in team.yaml");
      }
      ApprovalRequest request = ApprovalRequest.from(RequestBodies.jsonObject(ctx));
      return blocking(ctx, () -> {
            return services.approvals().approve(services.workspace(), services.runbooks().current(),
                services.knowledge(), id, request.version(), request.contentHash(), identity.id(),
                request.comment().orElse(null));
          })
          .compose(approval -> approval)
          .compose(runbook -> services.statuses().of(runbook).map(status -> {
            ObjectNode body = ApiJson.object();
            body.put("runbook_id", runbook.id());
            body.put("version", runbook.version());
            body.put("content_hash", runbook.contentHash());
            body.put("approved_by", identity.id());
            body.set("status", RunbookJson.status(status));
            return body;
          }));
    });
  }

  /** Query parameters as {@code name → value}; a name given twice is ambiguous and refused. */
  static Map<String, String> queryParams(MultiMap query) {
    Map<String, String> params = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    for (String name : query.names()) {
      List<String> values = query.getAll(name);
      if (values.size() == 1) {
        params.put(name, values.get(0));
      } else {
        problems.add("param " + name + ": given " + values.size() + " times, expected once");
      }
    }
    if (!problems.isEmpty()) {
      throw new InvalidParametersException(problems);
    }
    return params;
  }

  private static Runbook find(RunbookCatalog catalog, String id) {
    return catalog.get(id).orElseThrow(() -> NotFoundException.of("runbook", id));
  }

  /** Reading files (and anything that calls RunbookRepository) never runs on the event loop. */
  private static <T> Future<T> blocking(RoutingContext ctx, Callable<T> work) {
    return ctx.vertx().executeBlocking(work, false);
  }

  private record Linted(Runbook runbook, List<LintFinding> findings) {}

  private record Rendered(Runbook runbook, Plan plan) {}
}
