package dev.rebound.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.error.ConflictException;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Conversations per incident in PostgreSQL ({@code V5__agent.sql}), so they survive a restart and
 * are shared by replicas. Non-blocking.
 *
 * <p>A turn's messages are appended in one transaction, guarded by the message count read when the
 * turn began: if another turn of the same incident was stored meanwhile (another replica, another
 * responder), the append fails with {@link ConflictException} instead of interleaving, and the
 * caller reports it (the turn's audit entries stand; its messages are not kept).
 */
final class ConversationStore {
  private static final String LOAD = "select seq, turn_id, role, author, content, tool_calls::text, tool_call_id,"
      + " status, guided::text from agent_messages where incident_id = $1 order by seq";
  private static final String INSERT = "insert into agent_messages (incident_id, seq, turn_id, role, author, content,"
      + " tool_calls, tool_call_id, status, guided) values ($1, $2, $3, $4, $5, $6, $7::text::jsonb, $8, $9,"
      + " $10::text::jsonb)";

  private final Pool pool;

  ConversationStore(Pool pool) {
    this.pool = pool;
  }

  /** The conversation so far, oldest first, with its length (the guard for {@link #append}). */
  record Loaded(List<StoredMessage> messages) {
    int count() {
      return messages.size();
    }
  }

  Future<Loaded> load(String incidentId) {
    return pool.preparedQuery(LOAD).execute(Tuple.of(incidentId)).map(rows -> {
      List<StoredMessage> out = new ArrayList<>();
      for (Row r : rows) {
        out.add(message(r));
      }
      return new Loaded(out);
    });
  }

  /** Appends {@code messages} after the {@code expectedCount} already stored. */
  Future<Void> append(String incidentId, int expectedCount, List<StoredMessage> messages) {
    if (messages.isEmpty()) {
      return Future.succeededFuture();
    }
    return pool.withTransaction(conn -> conn
        .preparedQuery("insert into agent_conversations (incident_id) values ($1) on conflict (incident_id) do nothing")
        .execute(Tuple.of(incidentId))
        .compose(v -> conn.preparedQuery("update agent_conversations set message_count = message_count + $3,"
                + " updated_at = now() where incident_id = $1 and message_count = $2")
            .execute(Tuple.of(incidentId, expectedCount, messages.size())))
        .compose(updated -> {
          if (updated.rowCount() != 1) {
            return Future.failedFuture(new ConflictException("the conversation of incident " + incidentId
                + " changed during this turn (another message was answered at the same time); send the message again"));
          }
          List<Tuple> rows = new ArrayList<>();
          int seq = expectedCount;
          for (StoredMessage m : messages) {
            rows.add(row(incidentId, ++seq, m));
          }
          return conn.preparedQuery(INSERT).executeBatch(rows).<Void>mapEmpty();
        }));
  }

  private static Tuple row(String incidentId, int seq, StoredMessage m) {
    String calls = null;
    if (m.role() == StoredMessage.Role.ASSISTANT && !m.toolCalls().isEmpty()) {
      ArrayNode array = AgentJson.NODES.arrayNode();
      for (StoredMessage.ToolCallData c : m.toolCalls()) {
        ObjectNode o = array.addObject();
        o.put("id", c.id());
        o.put("name", c.name());
        o.put("arguments", c.arguments());
      }
      calls = AgentJson.write(array);
    }
    return Tuple.of(incidentId, seq, m.turnId(), m.role().name().toLowerCase(java.util.Locale.ROOT), m.author(),
            stripNul(m.content()))
        .addValue(calls)
        .addValue(m.toolCallId().orElse(null))
        .addValue(m.status().map(Enum::name).orElse(null))
        .addValue(m.guided().map(AgentJson::write).orElse(null));
  }

  /** PostgreSQL text cannot hold NUL; a model could send one. */
  private static String stripNul(String s) {
    return s.indexOf('\0') >= 0 ? s.replace("\0", "") : s;
  }

  private static StoredMessage message(Row r) {
    StoredMessage.Role role = StoredMessage.Role.valueOf(r.getString("role").toUpperCase(java.util.Locale.ROOT));
    List<StoredMessage.ToolCallData> calls = new ArrayList<>();
    String callsText = r.getString(5);
    if (callsText != null) {
      for (JsonNode c : AgentJson.parse(callsText).orElse(AgentJson.NODES.arrayNode())) {
        calls.add(new StoredMessage.ToolCallData(c.path("id").asText(), c.path("name").asText(),
            c.path("arguments").asText()));
      }
    }
    Optional<ToolStatus> status = Optional.ofNullable(r.getString("status")).map(ToolStatus::valueOf);
    Optional<ObjectNode> guided = Optional.ofNullable(r.getString(8)).flatMap(AgentJson::parse)
        .filter(ObjectNode.class::isInstance).map(ObjectNode.class::cast);
    return new StoredMessage(role, r.getString("author"), r.getString("content"), calls,
        Optional.ofNullable(r.getString("tool_call_id")), status, r.getString("turn_id"), guided);
  }
}
