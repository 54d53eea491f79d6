package dev.rebound.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.rebound.audit.AuditEntry;
import dev.rebound.audit.AuditFilter;
import dev.rebound.engine.Actor;
import dev.rebound.incident.Incident;
import dev.rebound.runbook.CanonicalJson;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Postmortem drafts: the facts ({@link PostmortemDraft}) from the audit log, the incident's runs
 * and the inventory; with a model, a narrative written around them (one call, no tools, audited
 * like any other); without one, or when the call fails, the structured draft alone. The facts
 * are never the model's: its text is a separate field.
 *
 * <p>Viewers may read drafts, and a page reload asks again: a narrative is kept for the facts it
 * was written from (incident, prompt version, draft), so the model is asked, and the call
 * audited, only when the facts changed. Drafting's own model calls are not facts of the
 * incident: they are left out of its timeline, which would otherwise change with every view.
 */
final class Postmortems {
  private static final int MAX_ENTRIES = 5_000;
  private static final String TURN_PREFIX = "postmortem_";
  private static final int KEPT_NARRATIVES = 200;

  private final AgentDeps deps;
  private final Optional<ModelCaller> model;
  private final Optional<Prompt> prompt;
  private final AgentSettings settings;
  private final Map<String, String> narratives = Collections.synchronizedMap(
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
          return size() > KEPT_NARRATIVES;
        }
      });

  Postmortems(AgentDeps deps, Optional<ModelCaller> model, Optional<Prompt> prompt, AgentSettings settings) {
    this.deps = deps;
    this.model = model;
    this.prompt = prompt;
    this.settings = settings;
  }

  Future<Postmortem> draft(String incidentId, Actor caller) {
    return deps.incidents().get(incidentId).compose(incident -> deps.runs().runIds(incidentId)
        .compose(ids -> timeline(incidentId, ids).compose(entries -> runs(ids).map(runs ->
            PostmortemDraft.build(incident, entries, runs, deps.knowledge().assets()))))
        .compose(draft -> narrate(incident, draft, caller)));
  }

  /** The incident's entries and its runs' entries, once each, in order. */
  private Future<List<AuditEntry>> timeline(String incidentId, List<String> runIds) {
    List<Future<List<AuditEntry>>> parts = new ArrayList<>();
    parts.add(all(AuditFilter.all().incident(incidentId)));
    for (String runId : runIds) {
      parts.add(all(AuditFilter.all().run(runId)));
    }
    return Future.all(parts).map(done -> {
      TreeMap<Long, AuditEntry> bySeq = new TreeMap<>();
      for (int i = 0; i < parts.size(); i++) {
        List<AuditEntry> list = done.resultAt(i);
        list.stream().filter(e -> !drafting(e)).forEach(e -> bySeq.put(e.seq(), e));
      }
      return new ArrayList<>(bySeq.values());
    });
  }

  private static boolean drafting(AuditEntry e) {
    return e.action().equals("model.called") && e.details().path("turn_id").asText("").startsWith(TURN_PREFIX);
  }

  private Future<List<AuditEntry>> all(AuditFilter filter) {
    return page(filter.oldestFirst().limit(AuditFilter.MAX_LIMIT), 0L, new ArrayList<>());
  }

  private Future<List<AuditEntry>> page(AuditFilter filter, long after, List<AuditEntry> acc) {
    return deps.auditQuery().find(filter.afterSeq(after)).compose(found -> {
      acc.addAll(found);
      if (found.size() < AuditFilter.MAX_LIMIT || acc.size() >= MAX_ENTRIES) {
        return Future.succeededFuture(acc);
      }
      return page(filter, found.get(found.size() - 1).seq(), acc);
    });
  }

  private Future<List<JsonNode>> runs(List<String> ids) {
    List<Future<JsonNode>> views = ids.stream().map(id -> deps.runs().detail(id)).toList();
    return Future.all(views).map(done -> {
      List<JsonNode> out = new ArrayList<>();
      for (int i = 0; i < views.size(); i++) {
        out.add(done.resultAt(i));
      }
      return out;
    });
  }

  private Future<Postmortem> narrate(Incident incident, ObjectNode draft, Actor caller) {
    if (model.isEmpty() || prompt.isEmpty()) {
      return Future.succeededFuture(new Postmortem(incident.id(), Postmortem.STRUCTURED, draft, Optional.empty(),
          Optional.empty()));
    }
    String key = incident.id() + "\n" + prompt.get().version() + "\n" + CanonicalJson.sha256(draft);
    String kept = narratives.get(key);
    if (kept != null) {
      return Future.succeededFuture(new Postmortem(incident.id(), Postmortem.MODEL, draft, Optional.of(kept),
          Optional.empty()));
    }
    TurnContext turn = new TurnContext(incident.id(), caller, TURN_PREFIX + Long.toString(System.currentTimeMillis(),
        36), Instant.now().plus(settings.turnTimeout()));
    String data = DataQuote.quote("postmortem draft of " + incident.id(), AgentJson.cut(AgentJson.write(draft), 60_000));
    ChatRequest request = ChatRequest.builder()
        .messages(SystemMessage.from(prompt.get().render(incident.id())), UserMessage.from(data))
        .build();
    return model.get().call(request, turn, 1).transform(done -> {
      if (done.failed()) {
        ModelFailure f = done.cause() instanceof ModelFailure m ? m : ModelFailure.of(done.cause(), deps.masker());
        return Future.succeededFuture(new Postmortem(incident.id(), Postmortem.STRUCTURED, draft, Optional.empty(),
            Optional.of(new ChatReply.Degraded(f.code, f.getMessage()))));
      }
      String text = done.result().aiMessage() == null ? null : done.result().aiMessage().text();
      if (text == null || text.isBlank()) {
        return Future.succeededFuture(new Postmortem(incident.id(), Postmortem.STRUCTURED, draft, Optional.empty(),
            Optional.of(new ChatReply.Degraded("model_error", "the model returned no narrative"))));
      }
      String narrative = deps.masker().mask(AgentJson.cut(text, 20_000));
      narratives.put(key, narrative);
      return Future.succeededFuture(new Postmortem(incident.id(), Postmortem.MODEL, draft, Optional.of(narrative),
          Optional.empty()));
    });
  }
}
