package dev.rebound.slack;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.config.SlackPolicy;
import dev.rebound.engine.Engine;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a run's Slack thread up to date from the engine's public run events
 * ({@link Engine#eventAddress}): a reply per transition worth telling, the run's status message
 * updated in place (chat.update), an approval request for every step attempt that waits for
 * one (posted once; again after its approvals were voided) and closed once the attempt is
 * approved or rejected, wherever that happened, or the run moves past it without a decision
 * (see {@link #closeSettledRequests}), and a notice when failed preconditions block the run (once per block).
 * Events of one run are handled one after another so replies keep their order, and only the last
 * of those queued reconciles the status message and the approval request with the run as it is
 * now: the run is usually ahead of the event being handled, so an earlier one
 * would ask for the next step's approval before the reply that the previous step succeeded (and
 * update the status message once per event, where Slack allows chat.update about 50 times a minute).
 * Only consumes: nothing here can delay or fail a run.
 */
final class RunFollower {
  private static final Logger LOG = LoggerFactory.getLogger(RunFollower.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration LINGER = Duration.ofSeconds(10);
  private static final TypeReference<List<String>> NAMES = new TypeReference<>() {};

  /** A followed run: where its status message is, and what "time against RTO" compares with. */
  record Followed(String runId, PostedMessages.Posted status, Instant createdAt, Optional<Duration> rto) {}

  private final Vertx vertx;
  private final Engine engine;
  private final SlackApi api;
  private final PostedMessages posted;
  private final ApprovalRequests requests;
  private final SlackPolicy policy;
  private final Map<String, MessageConsumer<String>> consumers = new ConcurrentHashMap<>();
  private final Map<String, Future<Void>> tails = new ConcurrentHashMap<>();

  RunFollower(Vertx vertx, Engine engine, SlackApi api, PostedMessages posted, ApprovalRequests requests,
      SlackPolicy policy) {
    this.vertx = vertx;
    this.engine = engine;
    this.api = api;
    this.posted = posted;
    this.requests = requests;
    this.policy = policy;
  }

  /** Subscribes to the run's events and reconciles once now (an event may have passed before). */
  Future<Void> follow(Followed run) {
    consumers.computeIfAbsent(run.runId(), id -> {
      MessageConsumer<String> consumer = vertx.eventBus().consumer(Engine.eventAddress(id));
      consumer.handler(message -> serially(id, superseded -> onEvent(run, message.body(), superseded)));
      return consumer;
    });
    return serially(run.runId(), superseded -> reconcile(run, superseded));
  }

  boolean following(String runId) {
    return consumers.containsKey(runId);
  }

  Future<Void> close() {
    List<Future<Void>> all = consumers.values().stream().map(MessageConsumer::unregister).toList();
    consumers.clear();
    return Future.join(all).mapEmpty();
  }

  private Future<Void> onEvent(Followed run, String line, BooleanSupplier superseded) {
    JsonNode entry;
    try {
      entry = JSON.readTree(line);
    } catch (java.io.IOException e) {
      LOG.warn("run {}: unreadable event ignored: {}", run.runId(), e.toString());
      return Future.succeededFuture();
    }
    String incident = entry.path("incident_id").asText("");
    boolean recovered = "run.succeeded".equals(entry.path("action").asText()) && !incident.isEmpty();
    Future<?> reply = RunUpdates.reply(entry, run.createdAt(), run.rto())
        .map(text -> (Future<?>) withLeftInEffect(run, entry, text).compose(full -> api.post(run.status().channel(),
            Optional.of(run.status().thread()), full,
            recovered ? SlackResolutions.offer(full, incident, policy) : List.of())))
        .orElse(Future.succeededFuture());
    Future<?> decided = reply.transform(done -> closeSettledRequests(run, entry));
    if (RunUpdates.ends(entry)) {
      // The final validation's check entries are committed with the run's end and published just
      // after it: stop listening a little later so their replies still come.
      vertx.setTimer(LINGER.toMillis(), id -> {
        MessageConsumer<String> consumer = consumers.remove(run.runId());
        if (consumer != null) {
          consumer.unregister();
        }
      });
    }
    return decided.transform(done -> reconcile(run, superseded));
  }

  /**
   * The reply to the end of a run that did not recover, with what it left in effect (from the run
   * as it is now: an aborted run stays so; a failed one until someone rolls it back), so nobody
   * reads "aborted" as "nothing changed". Without the view the reply goes as it is.
   */
  private Future<String> withLeftInEffect(Followed run, JsonNode entry, String text) {
    if (!RunUpdates.ends(entry) || "run.succeeded".equals(entry.path("action").asText())) {
      return Future.succeededFuture(text);
    }
    return engine.view(run.runId())
        .map(view -> RunUpdates.leftInEffect(view, policy.consoleUrl()).map(line -> text + "\n" + line).orElse(text))
        .otherwise(e -> {
          LOG.warn("run {}: what it left in effect is not told: {}", run.runId(), e.toString());
          return text;
        });
  }

  /**
   * Closes the approval requests the entry settles, so nobody presses a button that can no longer
   * apply: the attempt's request once it is approved or rejected, here or elsewhere (the console,
   * the API), saying by whom (a press in Slack closes it with the same text); and every request
   * the run moved past without a decision, saying why: the run ended or is rolled back, the
   * step's approvals were voided (a new request for the attempt follows), a retry asked for a new
   * attempt (which gets its own request).
   */
  private Future<?> closeSettledRequests(Followed run, JsonNode entry) {
    JsonNode d = entry.path("details");
    String stepId = d.path("step_id").asText();
    int attempt = d.path("attempt").asInt();
    String subject = PostedMessages.approval(run.runId(), stepId, attempt);
    String actor = SlackText.escape(entry.path("actor_id").asText());
    return switch (entry.path("action").asText()) {
      case "step.approved" -> requests.close(subject, ApprovalBlocks.approvedText(stepId,
          d.path("action_hash").asText(), JSON.convertValue(d.path("approved_by"), NAMES)));
      case "step.rejected" -> requests.close(subject, ApprovalBlocks.rejectedText(stepId, entry.path("actor_id").asText()));
      case "approval.invalidated" -> requests.giveWay(subject, ApprovalRequests.noLongerNeeded(stepId,
          "approvals voided: "
          + SlackText.escape(SlackText.cut(String.join("; ", JSON.convertValue(d.path("changes"), NAMES)), 500))),
          true);
      case "step.retry_requested" -> superseded(run, stepId, attempt);
      case "rollback.started" -> closeAll(run, "run rolled back by " + actor);
      case "run.aborted" -> closeAll(run, "run aborted by " + actor);
      case "run.failed" -> closeAll(run, "run failed");
      case "run.rolled_back" -> closeAll(run, "run rolled back");
      case "run.succeeded" -> closeAll(run, "run succeeded");
      default -> Future.succeededFuture();
    };
  }

  /**
   * A retry asks for approval of attempt {@code attempt}: requests of earlier attempts still open
   * close, and the one of the same attempt (a rejection executed nothing, so the retry's attempt
   * has the rejected one's number) gives way to the retry's own request.
   */
  private Future<Void> superseded(Followed run, String stepId, int attempt) {
    String text = ApprovalRequests.noLongerNeeded(stepId,
        "superseded by the retry's request (attempt " + attempt + ")");
    return Future.join(requests.closeOpen(run.runId(), r -> r.stepId().equals(stepId) && r.attempt() < attempt,
            r -> text),
        requests.giveWay(PostedMessages.approval(run.runId(), stepId, attempt), text, false)).mapEmpty();
  }

  private Future<Void> closeAll(Followed run, String why) {
    return requests.closeOpen(run.runId(), r -> true, r -> ApprovalRequests.noLongerNeeded(r.stepId(), why));
  }

  /**
   * Updates the status message and posts the approval request the run now waits for, if new;
   * nothing when later work is queued for the run (checked again once the run is read), since
   * that work reconciles after its own reply.
   */
  private Future<Void> reconcile(Followed run, BooleanSupplier superseded) {
    if (superseded.getAsBoolean()) {
      return Future.succeededFuture();
    }
    return engine.view(run.runId()).compose(view -> {
      if (superseded.getAsBoolean()) {
        return Future.succeededFuture();
      }
      Future<Boolean> status = api.update(run.status().channel(), run.status().ts(), RunBlocks.fallbackText(view),
          RunBlocks.blocks(view));
      JsonNode awaiting = view.path("awaiting");
      return switch (awaiting.path("what").asText()) {
        case "approval" -> status.compose(x -> requestApproval(run, view, (ObjectNode) awaiting));
        case "preconditions" -> status.compose(x -> tellBlocked(run, view, awaiting));
        default -> status.mapEmpty();
      };
    }).recover(e -> {
      LOG.warn("run {}: Slack thread not updated: {}", run.runId(), e.toString());
      return Future.succeededFuture();
    });
  }

  /**
   * Says once in the thread that the run is blocked before its first step and what to do: the
   * engine does not re-check failed preconditions by itself, so without this the thread would show
   * a run "proposed" while the person waits for an approval request that never comes. From the
   * reconcile, not from the event: a run is often blocked before the thread is followed.
   */
  private Future<Void> tellBlocked(Followed run, JsonNode view, JsonNode awaiting) {
    String about = awaiting.path("about").asText();
    if (!about.startsWith("preconditions failed")) {
      return Future.succeededFuture(); // still being checked
    }
    String subject = PostedMessages.blocked(run.runId(), view.path("last_seq").asLong());
    String channel = run.status().channel();
    String text = ":warning: Run blocked, nothing has run: " + SlackText.escape(about)
        + policy.consoleUrl().map(console -> " in the console: " + console + "/#/runs/" + run.runId()).orElse("");
    return posted.claim(subject, channel).compose(mine -> !mine ? Future.succeededFuture()
        : api.post(channel, Optional.of(run.status().thread()), text, List.of()).compose(ts -> ts.isEmpty()
            ? posted.release(subject)
            : posted.record(subject, new PostedMessages.Posted(channel, ts.get(), Optional.of(run.status().thread())))));
  }

  private Future<Void> requestApproval(Followed run, JsonNode view, ObjectNode awaiting) {
    String stepId = awaiting.path("step_id").asText();
    String subject = PostedMessages.approval(run.runId(), stepId, awaiting.path("attempt").asInt());
    String title = "";
    for (JsonNode step : view.path("steps")) {
      if (step.path("id").asText().equals(stepId)) {
        title = step.path("title").asText();
      }
    }
    String stepTitle = title;
    String channel = run.status().channel();
    return posted.claimRequest(run.runId(), subject, channel).compose(mine -> {
      if (!mine) {
        return Future.succeededFuture();
      }
      return api.post(channel, Optional.of(run.status().thread()), ApprovalBlocks.fallbackText(run.runId(), awaiting),
          ApprovalBlocks.blocks(run.runId(), stepTitle, awaiting, policy)).compose(ts -> ts.isEmpty()
              ? posted.release(subject)
              : posted.record(subject, new PostedMessages.Posted(channel, ts.get(),
                  Optional.of(run.status().thread()))));
    });
  }

  /**
   * Runs {@code work} after the run's earlier work; it is told whether later work has been queued
   * behind it since.
   */
  private Future<Void> serially(String runId, Function<BooleanSupplier, Future<?>> work) {
    Promise<Void> finished = Promise.promise();
    Future<Void> mine = finished.future();
    Future<?> before = tails.put(runId, mine);
    BooleanSupplier superseded = () -> tails.get(runId) != mine;
    (before == null ? Future.succeededFuture() : before)
        .transform(ignored -> work.apply(superseded))
        .<Void>mapEmpty()
        .onComplete(done -> {
          tails.remove(runId, mine);
          finished.handle(done);
        });
    return mine;
  }
}
