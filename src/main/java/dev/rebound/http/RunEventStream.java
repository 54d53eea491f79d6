package dev.rebound.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rebound.audit.AuditFilter;
import dev.rebound.audit.AuditQuery;
import dev.rebound.engine.Engine;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServerResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One {@code GET /api/runs/{id}/events} connection: the snapshot first ({@code event: snapshot},
 * id = the run's last audit seq), then every transition ({@code event: <audit action>},
 * {@code id: <seq>}, data = the audit entry as JSON) as it happens.
 *
 * <p>Transitions made in this process arrive over the event bus once their audit entry is sealed
 * (milliseconds after the commit). Those made by another instance sharing the database are found
 * by reading the run's audit entries after the last seen seq every second; audit seqs commit in
 * order (seals serialise on the chain's head and number only committed entries; the read seals
 * first), so that read misses none. Each seq is sent once, whichever way it came. Subscribing happens before the
 * snapshot is read, and entries up to the snapshot's seq are not repeated.
 *
 * <p>It holds one of its caller's {@link StreamSlots} until it is closed: by the client going
 * away (or the connection failing), or by the route when the run cannot be read.
 */
final class RunEventStream {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long POLL_MS = 1000;
  private static final long HEARTBEAT_MS = 15_000;

  private final Vertx vertx;
  private final AuditQuery audit;
  private final String runId;
  private final HttpServerResponse response;
  private final StreamSlots.Slot slot;
  private final Set<Long> sent = new HashSet<>();
  private final List<String> early = new ArrayList<>();
  private MessageConsumer<String> consumer;
  private long cursor = -1;
  private long snapshotSeq = Long.MAX_VALUE;
  private long pollTimer = -1;
  private long heartbeatTimer = -1;
  private boolean polling;
  private boolean closed;

  RunEventStream(Vertx vertx, AuditQuery audit, String runId, HttpServerResponse response, StreamSlots.Slot slot) {
    this.vertx = vertx;
    this.audit = audit;
    this.runId = runId;
    this.response = response;
    this.slot = slot;
  }

  /** Subscribes; call {@link #snapshot} once the run's view is read. */
  void subscribe() {
    response.closeHandler(v -> close());
    response.exceptionHandler(e -> close());
    consumer = vertx.eventBus().consumer(Engine.eventAddress(runId), message -> {
      if (cursor < 0) {
        early.add(message.body());
      } else {
        sendLine(message.body());
      }
    });
  }

  void snapshot(JsonNode view) {
    if (closed) {
      return;
    }
    long lastSeq = view.path("last_seq").asLong();
    response.setChunked(true)
        .putHeader("Content-Type", "text/event-stream; charset=utf-8")
        .putHeader("Cache-Control", "no-store")
        .putHeader("X-Accel-Buffering", "no");
    write(lastSeq, "snapshot", view.toString());
    snapshotSeq = lastSeq;
    cursor = lastSeq;
    early.forEach(this::sendLine);
    early.clear();
    pollTimer = vertx.setPeriodic(POLL_MS, id -> poll());
    heartbeatTimer = vertx.setPeriodic(HEARTBEAT_MS, id -> {
      if (!closed) {
        response.write(": keep-alive\n\n");
      }
    });
  }

  void close() {
    closed = true;
    slot.release();
    if (consumer != null) {
      consumer.unregister();
    }
    vertx.cancelTimer(pollTimer);
    vertx.cancelTimer(heartbeatTimer);
  }

  private void poll() {
    if (closed || polling) {
      return;
    }
    polling = true;
    audit.find(AuditFilter.all().run(runId).afterSeq(cursor).oldestFirst().limit(AuditFilter.MAX_LIMIT))
        .onSuccess(entries -> entries.forEach(e -> {
          // Only this read advances the cursor: it sees seqs in order, the event bus may not.
          cursor = Math.max(cursor, e.seq());
          send(e.seq(), e.action(), e.toJsonLine());
        }))
        .onComplete(r -> polling = false);
  }

  private void sendLine(String line) {
    try {
      JsonNode entry = JSON.readTree(line);
      send(entry.path("seq").asLong(), entry.path("action").asText(), line);
    } catch (Exception e) {
      // Only engine code publishes here, always an audit entry's JSON line.
    }
  }

  private void send(long seq, String action, String data) {
    if (closed || seq <= snapshotSeq || !sent.add(seq)) {
      return;
    }
    write(seq, action, data);
  }

  private void write(long id, String event, String data) {
    response.write("id: " + id + "\nevent: " + event + "\ndata: " + data.replace("\n", "\ndata: ") + "\n\n");
  }

}
