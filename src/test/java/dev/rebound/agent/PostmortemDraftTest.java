package dev.rebound.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.audit.ActorType;
import dev.rebound.audit.AuditEntry;
import dev.rebound.incident.Incident;
import dev.rebound.incident.IncidentStatus;
import dev.rebound.incident.Severity;
import dev.rebound.inventory.Asset;
import dev.rebound.inventory.AssetInventory;
import dev.rebound.inventory.AssetKind;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The facts of a postmortem draft, from an incident, its audit entries and its runs. */
class PostmortemDraftTest {
  private static final Instant T0 = Instant.parse("2026-03-01T09:40:00Z");

  @Test
  void time_to_recover_against_rto_approvers_and_the_questions_the_facts_raise() {
    Incident incident = new Incident("INC-1", "Stale features", T0, Severity.SEV2, IncidentStatus.OPEN,
        List.of("features.online"), List.of("FeatureStoreStale"), Optional.of("customer"), Optional.empty(), "", "",
        List.of(), "", Optional.empty());
    AssetInventory assets = new AssetInventory(List.of(new Asset("features.online", "Online features",
        AssetKind.FEATURE_STORE, "ml-platform", "", 1, Duration.ofMinutes(30), Duration.ofMinutes(15), List.of(), null,
        List.of())));
    ObjectNode run = (ObjectNode) AgentJson.parse("""
        {"id": "run_1", "runbook_id": "feature-store-restore", "runbook_version": 3, "content_hash": "h",
         "params": {"snapshot_id": "snap-0a1b2c3d"}, "state": "succeeded", "requested_by": "agent",
         "created_at": "2026-03-01T09:50:00Z", "finished_at": "2026-03-01T10:25:00Z",
         "steps": [{"id": "pause-ingest", "title": "Pause", "risk": "low", "state": "succeeded", "attempt": 1,
                    "approvals": [{"approver": "bruno", "created_at": "2026-03-01T09:55:00Z",
                                   "used_at": "2026-03-01T09:55:01Z", "voided_at": null}],
                    "checks": [{"phase": "verify", "name": "ingestion answers", "passed": false,
                                "observed": "503", "expected": "200"}],
                    "error": null}],
         "checks": []}
        """).orElseThrow();
    List<AuditEntry> timeline = List.of(
        entry(1, "chat.message_received", ActorType.HUMAN, "dmitri", "{}"),
        entry(2, "tool.refused", ActorType.AGENT, "agent", "{\"tool\": \"approve_step\", \"reason\": \"no such tool\"}"));

    JsonNode d = PostmortemDraft.build(incident, timeline, List.of(run), assets);

    assertThat(d.at("/recovery/0/time_to_recover").asText()).isEqualTo("45m");
    assertThat(d.at("/recovery/0/within_rto").asBoolean()).isFalse();
    assertThat(d.at("/runs/0/steps/0/approved_by/0/approver").asText()).isEqualTo("bruno");
    assertThat(d.at("/detection/first_recorded_by").asText()).isEqualTo("dmitri");
    assertThat(d.at("/agent/refused/0/tool").asText()).isEqualTo("approve_step");
    assertThat(d.at("/timeline/1/summary").asText()).contains("tool.refused by agent").contains("approve_step");
    assertThat(d.get("open_questions")).extracting(JsonNode::asText).anySatisfy(q -> assertThat(q).startsWith(
        "What was the root cause?")).anySatisfy(q -> assertThat(q).contains("against an RTO of 30m"))
        .anySatisfy(q -> assertThat(q).contains("why did no alert fire"))
        .anySatisfy(q -> assertThat(q).contains("ingestion answers"))
        .anySatisfy(q -> assertThat(q).contains("approve_step was refused"));
    assertThat(new Postmortem("INC-1", Postmortem.STRUCTURED, (ObjectNode) d, Optional.empty(), Optional.empty())
        .markdown()).contains("MISSED").contains("approved by bruno").contains("_not recorded yet_");
  }

  private static AuditEntry entry(long seq, String action, ActorType type, String actor, String details) {
    return new AuditEntry(seq, T0.plusSeconds(seq * 60), type, actor, action, "incident", "INC-1", Optional.empty(),
        Optional.of("INC-1"), AgentJson.parse(details).orElseThrow(), "0".repeat(64), "1".repeat(64));
  }
}
