package dev.rebound.slack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.config.SlackPolicy;
import dev.rebound.engine.Engine;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a run's Slack thread up to date from the engine's public run events
 * ({@link Engine#eventAddress}): a reply per transition worth telling, the run's status message
 * updated in place (chat.update), and an approval request for every step attempt that waits for
 * one (posted once, whichever event reveals it first). Events of one run are handled one after
 * another so replies keep their order. Only consumes: nothing here can delay or fail a run.
 */
final class RunFollower {
  private static final Logger LOG = LoggerFactory.getLogger(RunFollower.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration LINGER = Duration.ofSeconds(10);

  /** A followed run: where its status message is, and what "time against RTO" compares with. */
  record Followed(String runId, PostedMessages.Posted status, Instant createdAt, Optional<Duration> rto) {}

  private final Vertx vertx;
  private final Engine engine;
  private final SlackApi api;
  private final PostedMessages posted;
  private final SlackPolicy policy;
  private final Map<String, MessageConsumer<String>> consumers = new ConcurrentHashMap<>();
  private final Map<String, Future<?>> tails = new ConcurrentHashMap<>();

  RunFollower(Vertx vertx, Engine engine, SlackApi api, PostedMessages posted, SlackPolicy policy) {
    this.vertx = vertx;
    this.engine = engine;
    this.api = api;
    this.posted = posted;
    this.policy = policy;
  }

  /** Subscribes to the run's events and reconciles once now (an event may have passed before). */
  Future<Void> follow(Followed run) {
    consumers.computeIfAbsent(run.runId(), id -> {
      MessageConsumer<String> consumer = vertx.eventBus().consumer(Engine.eventAddress(id));
      consumer.handler(message -> serially(id, () -> onEvent(run, message.body())));
      return consumer;
    });
    return serially(run.runId(), () -> reconcile(run)).mapEmpty();
  }

  boolean following(String runId) {
    return consumers.containsKey(runId);
  }

  Future<Void> close() {
    List<Future<Void>> all = consumers.values().stream().map(MessageConsumer::unregister).toList();
    consumers.clear();
    return Future.join(all).mapEmpty();
  }

  private Future<Void> onEvent(Followed run, String line) {
    JsonNode entry;
    try {
      entry = JSON.readTree(line);
    } catch (java.io.IOException e) {
      LOG.warn("run {}: unreadable event ignored: {}", run.runId(), e.toString());
      return Future.succeededFuture();
    }
    Future<?> reply = RunUpdates.reply(entry, run.createdAt(), run.rto())
        .map(text -> (Future<?>) api.post(run.status().channel(), Optional.of(run.status().thread()), text, List.of()))
        .orElse(Future.succeededFuture());
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
    return reply.transform(done -> reconcile(run));
  }

  /** Updates the status message and posts the approval request the run now waits for, if new. */
  private Future<Void> reconcile(Followed run) {
    return engine.view(run.runId()).compose(view -> {
      Future<Boolean> status = api.update(run.status().channel(), run.status().ts(), RunBlocks.fallbackText(view),
          RunBlocks.blocks(view));
      JsonNode awaiting = view.path("awaiting");
      if (!"approval".equals(awaiting.path("what").asText())) {
        return status.mapEmpty();
      }
      return status.compose(x -> requestApproval(run, view, (ObjectNode) awaiting));
    }).recover(e -> {
      LOG.warn("run {}: Slack thread not updated: {}", run.runId(), e.toString());
      return Future.succeededFuture();
    });
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
    return posted.claim(subject, channel).compose(mine -> {
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

  private Future<?> serially(String runId, java.util.function.Supplier<Future<?>> work) {
    java.util.concurrent.atomic.AtomicReference<Future<?>> mine = new java.util.concurrent.atomic.AtomicReference<>();
    tails.compute(runId, (id, previous) -> {
      Future<?> before = previous == null ? Future.succeededFuture() : previous;
      mine.set(before.transform(ignored -> work.get()));
      return mine.get();
    });
    return mine.get().andThen(done -> tails.remove(runId, mine.get()));
  }
}
