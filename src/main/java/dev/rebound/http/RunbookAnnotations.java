package dev.rebound.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Future;
import java.util.Collection;
import java.util.Map;

/**
 * Extra facts about runbooks that search hits carry under one field (e.g. {@code drill}: is the
 * runbook's recovery proven by a recent, passed drill). One call per page of hits.
 */
public interface RunbookAnnotations {
  /** The hit field the annotation goes under. */
  String field();

  /** An annotation per runbook id (ids without one are left as they are). */
  Future<Map<String, JsonNode>> of(Collection<String> runbookIds);
}
