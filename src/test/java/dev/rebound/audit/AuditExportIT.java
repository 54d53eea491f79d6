package dev.rebound.audit;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rebound.testing.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Pool;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

@ExtendWith(VertxExtension.class)
class AuditExportIT {
  @RegisterExtension static final TestDatabase db = TestDatabase.create();

  private static final int ENTRIES = 11;
  private static Pool pool;

  @BeforeAll
  static void fill(Vertx vertx) throws Exception {
    pool = db.database(vertx).await(30, SECONDS).pool();
    PgAuditLog log = new PgAuditLog(pool, Masker.none());
    for (int i = 1; i <= ENTRIES; i++) {
      AuditEvent event = AuditEvent.of(i % 2 == 0 ? ActorType.HUMAN : ActorType.DRILL, "actor-" + i, "check.passed",
              "check", "freshness-" + i)
          .withDetails(AuditJson.parse("{\"lag_s\": " + i + ".50, \"big\": 98765432109876543210987,"
              + " \"text\": \"ligne \\\"" + i + "\\\" ✓\"}"));
      log.append(i % 3 == 0 ? event.withRun("run-" + i).withIncident("inc-" + i) : event).await(10, SECONDS);
    }
  }

  @Test
  void an_export_holds_every_field_and_verifies_on_its_own() throws Exception {
    byte[] export = export();
    List<String> lines = lines(export);

    assertThat(lines).hasSize(ENTRIES + 1);
    assertThat(ExportEnd.fromJson(AuditJson.parse(lines.get(0))))
        .isEqualTo(new ExportEnd(ENTRIES, AuditJson.parse(lines.get(ENTRIES)).get("hash").textValue()));
    lines = lines.subList(1, lines.size());
    JsonNode third = AuditJson.parse(lines.get(2));
    assertThat(third.fieldNames()).toIterable().containsExactly("seq", "at", "actor_type", "actor_id", "action",
        "subject_type", "subject_id", "run_id", "incident_id", "details", "prev_hash", "hash");
    assertThat(third.get("seq").asLong()).isEqualTo(3);
    assertThat(third.get("run_id").textValue()).isEqualTo("run-3");
    assertThat(third.get("details").get("big").bigIntegerValue()).hasToString("98765432109876543210987");
    assertThat(third.get("prev_hash").textValue()).isEqualTo(AuditJson.parse(lines.get(1)).get("hash").textValue());
    assertThat(AuditVerifier.verifyExport(new ByteArrayInputStream(export))).isEqualTo(VerifyResult.intact(ENTRIES));
  }

  @Test
  void an_edited_export_line_is_caught_with_its_seq() throws Exception {
    List<String> lines = new ArrayList<>(lines(export()));
    lines.set(8, lines.get(8).replace("\"actor-8\"", "\"actor-1\""));

    VerifyResult result = AuditVerifier.verifyExport(new ByteArrayInputStream(
        (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8)));

    assertThat(result.summary())
        .isEqualTo("audit chain BROKEN at entry #8: hash mismatch: the content of entry #8 was changed");
  }

  @Test
  void the_database_chain_and_the_export_agree() throws Exception {
    VerifyResult inDatabase = new AuditVerifier(pool, 3).verify().await(30, SECONDS);
    List<AuditEntry> newest = new AuditQuery(pool).find(AuditFilter.all().limit(1)).await(10, SECONDS);
    List<String> lines = lines(export());

    assertThat(inDatabase).isEqualTo(VerifyResult.intact(ENTRIES));
    assertThat(lines.get(ENTRIES)).isEqualTo(newest.get(0).toJsonLine());
    assertThat(AuditEntry.fromJsonLine(lines.get(ENTRIES))).isEqualTo(newest.get(0));
  }

  /** Exported through pages of 4, so that paging is part of what is tested. */
  private static byte[] export() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    long count = new AuditExport(pool, 4, Duration.ofSeconds(10)).writeTo(out);
    assertThat(count).isEqualTo(ENTRIES);
    return out.toByteArray();
  }

  private static List<String> lines(byte[] export) {
    return new String(export, StandardCharsets.UTF_8).lines().toList();
  }
}
