package dev.rebound.audit;

import dev.rebound.error.ValidationException;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What {@link AuditQuery#find} returns: entries matching every filter that is set, newest or
 * oldest first, at most {@code limit} ({@value #MAX_LIMIT} at most). Page through newest-first
 * results with {@code beforeSeq} = the last seq seen, oldest-first with {@code afterSeq}.
 *
 * <pre>{@code
 * AuditFilter.all().run("run-42").actionPrefix("step.").oldestFirst().limit(500)
 * }</pre>
 */
public record AuditFilter(
    Optional<String> runId,
    Optional<String> incidentId,
    Optional<String> actorId,
    Optional<ActorType> actorType,
    Optional<String> actionPrefix,
    OptionalLong afterSeq,
    OptionalLong beforeSeq,
    int limit,
    Order order) {

  /** By seq: newest (highest) first, or oldest first. */
  public enum Order {
    NEWEST_FIRST,
    OLDEST_FIRST
  }

  public static final int DEFAULT_LIMIT = 100;
  public static final int MAX_LIMIT = 1000;

  public AuditFilter {
    if (order == null) {
      order = Order.NEWEST_FIRST;
    }
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new ValidationException("limit must be between 1 and " + MAX_LIMIT + ", got " + limit);
    }
  }

  /** No filter, newest first, {@value #DEFAULT_LIMIT} entries. */
  public static AuditFilter all() {
    return new AuditFilter(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty(), OptionalLong.empty(), OptionalLong.empty(), DEFAULT_LIMIT, Order.NEWEST_FIRST);
  }

  public AuditFilter run(String id) {
    return new AuditFilter(Optional.of(id), incidentId, actorId, actorType, actionPrefix, afterSeq, beforeSeq,
        limit, order);
  }

  public AuditFilter incident(String id) {
    return new AuditFilter(runId, Optional.of(id), actorId, actorType, actionPrefix, afterSeq, beforeSeq,
        limit, order);
  }

  public AuditFilter actor(String id) {
    return new AuditFilter(runId, incidentId, Optional.of(id), actorType, actionPrefix, afterSeq, beforeSeq,
        limit, order);
  }

  public AuditFilter actorType(ActorType type) {
    return new AuditFilter(runId, incidentId, actorId, Optional.of(type), actionPrefix, afterSeq, beforeSeq,
        limit, order);
  }

  /** Entries whose action starts with {@code prefix}, e.g. {@code step.} or {@code tool.called}. */
  public AuditFilter actionPrefix(String prefix) {
    return new AuditFilter(runId, incidentId, actorId, actorType, Optional.of(prefix), afterSeq, beforeSeq,
        limit, order);
  }

  /** Only entries with seq greater than {@code seq}. */
  public AuditFilter afterSeq(long seq) {
    return new AuditFilter(runId, incidentId, actorId, actorType, actionPrefix, OptionalLong.of(seq), beforeSeq,
        limit, order);
  }

  /** Only entries with seq less than {@code seq}. */
  public AuditFilter beforeSeq(long seq) {
    return new AuditFilter(runId, incidentId, actorId, actorType, actionPrefix, afterSeq, OptionalLong.of(seq),
        limit, order);
  }

  public AuditFilter limit(int max) {
    return new AuditFilter(runId, incidentId, actorId, actorType, actionPrefix, afterSeq, beforeSeq,
        max, order);
  }

  public AuditFilter newestFirst() {
    return new AuditFilter(runId, incidentId, actorId, actorType, actionPrefix, afterSeq, beforeSeq, limit,
        Order.NEWEST_FIRST);
  }

  public AuditFilter oldestFirst() {
    return new AuditFilter(runId, incidentId, actorId, actorType, actionPrefix, afterSeq, beforeSeq, limit,
        Order.OLDEST_FIRST);
  }
}
