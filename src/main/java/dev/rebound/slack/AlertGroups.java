package dev.rebound.slack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.Optional;

/**
 * Alertmanager groups and their incidents (table {@code alert_groups}). A group is claimed
 * before its incident is opened, so two deliveries of a new group (Alertmanager retries, or two
 * replicas) open one incident: the loser sees the claim. Non-blocking.
 */
final class AlertGroups {
  static final String OPENING = "opening";
  /**
   * How long a claim may stand without its incident: opening one takes seconds (the incident,
   * its audit entry, the suggestions), and a delivery waits no longer than Alertmanager's own
   * timeout before it retries.
   */
  static final Duration STALE_CLAIM = Duration.ofMinutes(2);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A group: its incident ({@value #OPENING} while being opened) and fingerprint → last status. */
  record Group(String groupKey, String incidentId, ObjectNode fingerprints) {}

  private final Pool pool;

  AlertGroups(Pool pool) {
    this.pool = pool;
  }

  Future<Optional<Group>> find(String groupKey) {
    return pool.preparedQuery("select group_key, incident_id, fingerprints::text as f from alert_groups"
            + " where group_key = $1")
        .execute(Tuple.of(groupKey))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(group(rows.iterator().next())));
  }

  /**
   * True when this caller claimed the new group and must open its incident: the group is new, or
   * its claim is older than {@link #STALE_CLAIM} with no incident recorded (the instance that held
   * it stopped between the two), which would otherwise answer every later delivery "opening".
   */
  Future<Boolean> claim(String groupKey) {
    return pool.preparedQuery("insert into alert_groups (group_key, incident_id) values ($1, $2)"
            + " on conflict (group_key) do update set updated_at = now(), fingerprints = '{}'::jsonb"
            + " where alert_groups.incident_id = $2 and alert_groups.updated_at < now() - make_interval(secs => $3)")
        .execute(Tuple.of(groupKey, OPENING, (double) STALE_CLAIM.toSeconds())).map(rows -> rows.rowCount() == 1);
  }

  /**
   * True when this caller took over the group from its (resolved) incident {@code from} and must
   * open the next one; its fingerprints start afresh with that incident.
   */
  Future<Boolean> reclaim(String groupKey, String from) {
    return pool.preparedQuery("update alert_groups set incident_id = $3, fingerprints = '{}'::jsonb, updated_at = now()"
            + " where group_key = $1 and incident_id = $2")
        .execute(Tuple.of(groupKey, from, OPENING)).map(rows -> rows.rowCount() == 1);
  }

  Future<Void> opened(String groupKey, String incidentId, JsonNode fingerprints) {
    return pool.preparedQuery("update alert_groups set incident_id = $2, fingerprints = $3::text::jsonb, updated_at = now()"
            + " where group_key = $1")
        .execute(Tuple.of(groupKey, incidentId, fingerprints.toString())).mapEmpty();
  }

  /** Forgets a claim whose incident could not be opened, so the next delivery tries again. */
  Future<Void> abandon(String groupKey) {
    return pool.preparedQuery("delete from alert_groups where group_key = $1 and incident_id = $2")
        .execute(Tuple.of(groupKey, OPENING)).mapEmpty();
  }

  /** Merges statuses into the group's fingerprints. */
  Future<Void> update(String groupKey, JsonNode statuses) {
    return pool.preparedQuery("update alert_groups set fingerprints = fingerprints || $2::text::jsonb, updated_at = now()"
            + " where group_key = $1")
        .execute(Tuple.of(groupKey, statuses.toString())).mapEmpty();
  }

  private static Group group(Row row) {
    try {
      return new Group(row.getString("group_key"), row.getString("incident_id"),
          (ObjectNode) JSON.readTree(row.getString("f")));
    } catch (java.io.IOException e) {
      throw new IllegalStateException("alert_groups.fingerprints is not JSON", e);
    }
  }
}
