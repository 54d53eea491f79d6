package dev.rebound.slack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.audit.ActorType;
import dev.rebound.audit.AuditEvent;
import dev.rebound.config.SlackPolicy;
import dev.rebound.engine.Actor;
import dev.rebound.engine.Engine;
import dev.rebound.engine.NewRun;
import dev.rebound.engine.RunKind;
import dev.rebound.engine.check.ParamChoiceReader;
import dev.rebound.engine.target.Deadline;
import dev.rebound.error.ConflictException;
import dev.rebound.error.ForbiddenException;
import dev.rebound.error.UnavailableException;
import dev.rebound.error.ValidationException;
import dev.rebound.runbook.BoundParams;
import dev.rebound.runbook.ParamBinder;
import dev.rebound.runbook.ParamSpec;
import dev.rebound.runbook.Runbook;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the buttons do, through the engine's public API only (the same calls as
 * {@code POST /api/runs} and {@code POST /api/runs/{id}/steps/{step}/approve|reject}): the engine
 * enforces roles, four eyes and the action hash, and audits its refusals. Slack adds one rule of
 * its own before calling it: steps whose risk {@code slack.console_required_for} names are
 * approved in the console only.
 */
final class RunActions {
  private static final Logger LOG = LoggerFactory.getLogger(RunActions.class);

  private final SlackDeps deps;
  private final SlackApi api;
  private final PostedMessages posted;
  private final ApprovalRequests requests;
  private final RunFollower follower;
  private final SuggestionPoster poster;

  RunActions(SlackDeps deps, SlackApi api, PostedMessages posted, ApprovalRequests requests, RunFollower follower,
      SuggestionPoster poster) {
    this.deps = deps;
    this.api = api;
    this.posted = posted;
    this.requests = requests;
    this.follower = follower;
    this.poster = poster;
  }

  private SlackPolicy policy() {
    return deps.settings().policy();
  }

  Future<?> refuseUnknown(InteractionHandler.Press press) {
    return deps.audit().append(AuditEvent.of(ActorType.SYSTEM, SlackRequestGuard.ACTOR, "slack.action_refused",
            "slack_user", press.user()).withDetails(Map.of("action", press.actionId(), "value", press.value(),
            "reason", "unknown Slack user")))
        .transform(x -> api.ephemeral(press.channel(), press.user(), press.threadTs(), SlackUsers.unknown(press.user())));
  }

  /**
   * Button value {@code <incident> <runbook> <version>}: the suggestion that was shown. A runbook
   * without parameters starts at once; one with parameters opens {@link ParamsModal} first. A
   * person whose role may not start runs is refused at the press, not after filling in the form.
   */
  Future<?> startRun(Actor actor, InteractionHandler.Press press) {
    Optional<ForbiddenException> refused = Engine.startRefusal(actor);
    if (refused.isPresent()) {
      return Future.failedFuture(refused.get());
    }
    String[] v = press.value().split(" ");
    if (v.length != 3) {
      return Future.failedFuture(new ValidationException("the Start run button carries no run to start"));
    }
    ParamsModal.Target target;
    try {
      target = new ParamsModal.Target(v[0], v[1], Integer.parseInt(v[2]), press.channel(), press.thread());
    } catch (NumberFormatException e) {
      return Future.failedFuture(new ValidationException("the Start run button's runbook version is not a number"));
    }
    return suggested(target).compose(runbook -> {
      if (runbook.params().isEmpty()) {
        return start(actor, target, runbook, JsonNodeFactory.instance.objectNode());
      }
      // The form runs the runbook's choices queries: only for a version a second person approved.
      return deps.gate().refusal(runbook).compose(refusal -> refusal.isPresent()
          ? Future.failedFuture(new ConflictException(refusal.get()))
          : candidates(runbook)).compose(found -> api.openView(press.triggerId(),
          ParamsModal.view(runbook, target, found, policy().consoleUrl()))).compose(opened -> opened
          ? Future.succeededFuture()
          : Future.failedFuture(new UnavailableException("Slack did not open the parameter form; start the run"
              + " in the console: " + policy().consoleUrl().orElse("") + "/#/runbooks/" + runbook.id(), null)));
    });
  }

  /**
   * The candidates of each parameter that names them, read at once on workers under one shared
   * deadline (the reader's timeout for all of them: read one after another, two slow queries
   * would outlast Slack's three seconds to open the form). A parameter whose read failed, or had
   * not finished by the deadline, is left a text input (logged), so the form always opens in time.
   */
  private Future<Map<String, List<ParamChoiceReader.Choice>>> candidates(Runbook runbook) {
    List<ParamSpec> named = runbook.params().stream().filter(p -> p.choices().isPresent()).toList();
    if (named.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    ParamChoiceReader reader = deps.choiceReader();
    Deadline deadline = Deadline.after(reader.timeout());
    Map<ParamSpec, Future<ParamChoiceReader.Candidates>> reads = new LinkedHashMap<>();
    named.forEach(p -> reads.put(p, deps.vertx().executeBlocking(() -> reader.candidates(p, deadline), false)));
    Promise<Map<String, List<ParamChoiceReader.Choice>>> form = Promise.promise();
    // Both on this context: whichever comes first opens the form; a read ending later is not logged.
    Runnable open = () -> {
      if (!form.future().isComplete()) {
        form.complete(readSoFar(runbook, reads, reader));
      }
    };
    long late = deps.vertx().setTimer(Math.max(1, deadline.remaining().toMillis()), id -> open.run());
    Future.join(List.copyOf(reads.values())).onComplete(all -> {
      deps.vertx().cancelTimer(late);
      open.run();
    });
    return form.future();
  }

  /** The candidates read by now, by parameter; each read that failed or is still running is logged, a text input. */
  private static Map<String, List<ParamChoiceReader.Choice>> readSoFar(Runbook runbook,
      Map<ParamSpec, Future<ParamChoiceReader.Candidates>> reads, ParamChoiceReader reader) {
    Map<String, List<ParamChoiceReader.Choice>> found = new LinkedHashMap<>();
    reads.forEach((p, read) -> {
      if (read.succeeded()) {
        read.result().leftOut().forEach(why -> LOG.warn("runbook {}: a candidate is not offered in the Slack form: {}",
            runbook.id(), why));
        found.put(p.name(), read.result().offered());
      } else if (read.failed()) {
        LOG.warn("runbook {} param {}: no candidates for the Slack form: {}", runbook.id(), p.name(),
            read.cause().getMessage());
      } else {
        LOG.warn("runbook {} param {}: candidates not read within {} ms, a text input in the Slack form", runbook.id(),
            p.name(), reader.timeout().toMillis());
      }
    });
    return Map.copyOf(found);
  }

  /**
   * The parameter form was submitted: the run starts when the values bind; otherwise the
   * problems, by parameter, for Slack to show under the inputs (and nothing is started).
   */
  Future<Map<String, String>> startWithParams(Actor actor, ParamsModal.Target target, Map<String, String> raw) {
    return suggested(target).compose(runbook -> {
      BoundParams bound = ParamBinder.bindStrings(runbook.params(), raw);
      if (!bound.isValid()) {
        return Future.succeededFuture(ParamsModal.errors(runbook, bound.errors()));
      }
      return deps.engine().create(actor, newRun(target, runbook, bound.toJson())).transform(created -> {
        if (created.failed()) {
          return created.cause() instanceof ValidationException invalid && !runbook.params().isEmpty()
              ? Future.succeededFuture(ParamsModal.errors(runbook, invalid.problems()))
              : Future.failedFuture(created.cause());
        }
        // The run has started: the form closes whatever happens to its status message, since an
        // error would invite submitting it again for a second run.
        return postRun(created.result(), target, runbook).<Map<String, String>>map(x -> Map.of())
            .recover(e -> {
              LOG.warn("run {} started from the Slack form, its status message not posted: {}",
                  created.result().path("id").asText(), e.toString());
              return Future.succeededFuture(Map.of());
            });
      });
    });
  }

  /** The runbook as loaded now, if it is still the version the suggestion showed. */
  private Future<Runbook> suggested(ParamsModal.Target target) {
    String runbookId = target.runbookId();
    return deps.vertx().executeBlocking(() -> deps.catalog().get().get(runbookId), false).compose(found -> {
      if (found.isEmpty()) {
        return Future.failedFuture(new ValidationException("runbook " + runbookId + " is no longer loaded"));
      }
      Runbook runbook = found.get();
      if (runbook.version() != target.version()) {
        return Future.failedFuture(new ConflictException("runbook " + runbookId + " changed since this suggestion (v"
            + target.version() + " shown, v" + runbook.version() + " now): review the new version before starting it"));
      }
      return Future.succeededFuture(runbook);
    });
  }

  private Future<?> start(Actor actor, ParamsModal.Target target, Runbook runbook, ObjectNode params) {
    return deps.engine().create(actor, newRun(target, runbook, params)).compose(view -> postRun(view, target, runbook));
  }

  private static NewRun newRun(ParamsModal.Target target, Runbook runbook, ObjectNode params) {
    return new NewRun(runbook.id(), params, Optional.of(target.incident()), RunKind.LIVE);
  }

  private Future<?> postRun(JsonNode view, ParamsModal.Target target, Runbook runbook) {
    String runId = view.path("id").asText();
    String thread = target.thread();
    return api.post(target.channel(), Optional.of(thread), RunBlocks.fallbackText(view), RunBlocks.blocks(view))
        .compose(ts -> {
          if (ts.isEmpty()) {
            return Future.succeededFuture();
          }
          PostedMessages.Posted status = new PostedMessages.Posted(target.channel(), ts.get(), Optional.of(thread));
          return posted.record(PostedMessages.run(runId), status).compose(x -> follower.follow(new RunFollower.Followed(
              runId, status, Instant.parse(view.path("created_at").asText()), poster.rto(runbook.assets()))));
        });
  }

  /** Button value {@code <run> <step> <attempt> <action hash>}: exactly what the message showed. */
  Future<?> approve(Actor actor, InteractionHandler.Press press) {
    Binding b = Binding.parse(press.value());
    return deps.engine().view(b.runId()).compose(view -> {
      String risk = stepOf(view, b.stepId()).path("risk").asText();
      if (policy().requiresConsole(risk)) {
        return deps.audit().append(AuditEvent.of(ActorType.HUMAN, actor.id(), "slack.action_refused", "step",
                b.runId() + "/" + b.stepId()).withRun(b.runId()).withDetails(Map.of("action", "approve",
                "reason", "risk " + risk + " is approved in the console only")))
            .compose(x -> Future.failedFuture(new ForbiddenException("steps of risk " + risk
                + " are approved in the console only: " + policy().consoleUrl().orElse("") + "/#/runs/" + b.runId())));
      }
      return deps.engine().approve(actor, b.runId(), b.stepId(), b.actionHash(), OptionalInt.of(b.attempt()))
          .compose(binding -> deps.engine().view(b.runId()))
          .compose(after -> {
            JsonNode step = stepOf(after, b.stepId());
            if ("awaiting_approval".equals(step.path("state").asText())) {
              return api.ephemeral(press.channel(), press.user(), press.threadTs(), "Your approval of step `"
                  + SlackText.escape(b.stepId()) + "` is recorded; it needs more approvals before it runs.").mapEmpty();
            }
            return close(b, ApprovalBlocks.approvedText(b.stepId(), b.actionHash(), approvers(after, b)));
          });
    });
  }

  Future<?> reject(Actor actor, InteractionHandler.Press press) {
    Binding b = Binding.parse(press.value());
    return deps.engine().reject(actor, b.runId(), b.stepId(), "rejected in Slack by " + actor.id())
        .compose(view -> close(b, ApprovalBlocks.rejectedText(b.stepId(), actor.id())));
  }

  /**
   * Replaces the approval request's buttons with what was decided, unless following the run
   * closed it first (with the same text).
   */
  private Future<Void> close(Binding b, String text) {
    return requests.close(PostedMessages.approval(b.runId(), b.stepId(), b.attempt()), text);
  }

  private static List<String> approvers(JsonNode view, Binding b) {
    List<String> names = new java.util.ArrayList<>();
    for (JsonNode a : stepOf(view, b.stepId()).path("approvals")) {
      if (a.path("attempt").asInt() == b.attempt()) {
        names.add(a.path("approver").asText());
      }
    }
    return names;
  }

  private static JsonNode stepOf(JsonNode view, String stepId) {
    for (JsonNode step : view.path("steps")) {
      if (step.path("id").asText().equals(stepId)) {
        return step;
      }
    }
    throw new ValidationException("run " + view.path("id").asText() + " has no step " + stepId);
  }

  /** What an approval button binds. */
  record Binding(String runId, String stepId, int attempt, String actionHash) {
    static Binding parse(String value) {
      String[] v = value.split(" ");
      if (v.length != 4) {
        throw new ValidationException("the button carries no approval binding (run, step, attempt, action hash)");
      }
      try {
        return new Binding(v[0], v[1], Integer.parseInt(v[2]), v[3]);
      } catch (NumberFormatException e) {
        throw new ValidationException("the button's attempt is not a number");
      }
    }
  }
}
