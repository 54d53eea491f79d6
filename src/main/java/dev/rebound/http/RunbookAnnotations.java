package dev.rebound.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Extra facts about runbooks that search hits and incident suggestions carry under one field (e.g.
 * {@code drill}: is the runbook's recovery proven by a recent, passed drill). One call per page.
 */
public interface RunbookAnnotations {
  /** The hit field the annotation goes under. */
  String field();

  /** An annotation per runbook id (ids without one are left as they are). */
  Future<Map<String, JsonNode>> of(Collection<String> runbookIds);

  /**
   * Sets each annotation on the runbook objects (each has its runbook's {@code id}) in place, one
   * {@link #of} call per annotation for the whole page; completes when all are set.
   */
  static Future<Void> annotate(List<RunbookAnnotations> annotations, List<ObjectNode> runbooks) {
    if (runbooks.isEmpty()) {
      return Future.succeededFuture();
    }
    List<String> ids = runbooks.stream().map(r -> r.path("id").asText()).distinct().toList();
    Future<Void> done = Future.succeededFuture();
    for (RunbookAnnotations a : annotations) {
      done = done.compose(v -> a.of(ids).map(byId -> {
        runbooks.forEach(r -> {
          JsonNode value = byId.get(r.path("id").asText());
          if (value != null) {
            r.set(a.field(), value);
          }
        });
        return null;
      }));
    }
    return done;
  }
}
