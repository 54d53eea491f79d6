package dev.rebound.incident;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rebound.audit.AuditEntry;
import dev.rebound.audit.AuditFilter;
import dev.rebound.audit.AuditQuery;
import dev.rebound.audit.AuditVerifier;
import dev.rebound.audit.Masker;
import dev.rebound.audit.PgAuditLog;
import dev.rebound.db.Database;
import dev.rebound.error.ConflictException;
import dev.rebound.retrieval.HybridSearch;
import dev.rebound.retrieval.IndexProgress;
import dev.rebound.retrieval.Indexer;
import dev.rebound.retrieval.MiniLmEmbedder;
import dev.rebound.testing.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Incident files synced into PostgreSQL, similar incidents, and reporting through the service. */
@ExtendWith(VertxExtension.class)
class IncidentServiceIT {
  private static final Reporter DMITRI = Reporter.person("dmitri", java.util.Map.of("via", "test"));
  @RegisterExtension static final TestDatabase db = TestDatabase.create();

  @Test
  void the_sync_adds_updates_and_removes_as_the_files_change(Vertx vertx, @TempDir Path dir) throws Exception {
    Database database = db.database(vertx).await(30, SECONDS);
    PgIncidentStore store = new PgIncidentStore(database.pool());
    IncidentSync sync = new IncidentSync(store);
    try (java.sql.Connection c = db.jdbc(); java.sql.Statement s = c.createStatement()) {
      s.execute("delete from incidents"); // the other test of this class may have run first
    }
    copyFixtures(dir);

    IncidentSync.Report first = sync.sync(new IncidentLoader().loadAll(dir)).await(30, SECONDS);
    assertThat(List.of(first.added(), first.updated(), first.unchanged(), first.removed())).containsExactly(5, 0, 0, 0);
    // Another store over the same table (as another process would be) keeps its last load while
    // nothing changes, and sees every change the sync makes below.
    PgIncidentStore reader = new PgIncidentStore(database.pool());
    List<Incident> loadedOnce = reader.all().await(30, SECONDS);
    assertThat(loadedOnce).hasSize(5);
    assertThat(reader.all().await(30, SECONDS)).isSameAs(loadedOnce);

    Files.writeString(dir.resolve("INC-T-002.md"),
        Files.readString(dir.resolve("INC-T-002.md")).replace("severity: sev3", "severity: sev2"));
    Files.delete(dir.resolve("INC-T-005.md"));
    Files.writeString(dir.resolve("INC-T-003.md"), "---\nid: INC-T-003\nseverity: [\n---\n"); // broken: keeps its row
    IncidentSync.Report second = sync.sync(new IncidentLoader().loadAll(dir)).await(30, SECONDS);

    assertThat(List.of(second.added(), second.updated(), second.unchanged(), second.removed())).containsExactly(0, 1, 2, 1);
    assertThat(second.problems()).singleElement().asString().contains("INC-T-003.md:3:");
    assertThat(store.get("INC-T-002").await(30, SECONDS).orElseThrow().severity()).isEqualTo(Severity.SEV2);
    assertThat(store.get("INC-T-005").await(30, SECONDS)).isEmpty();
    assertThat(store.get("INC-T-003").await(30, SECONDS)).isPresent();
    List<Incident> afterSync = reader.all().await(30, SECONDS);
    assertThat(afterSync).extracting(Incident::id).hasSize(4).doesNotContain("INC-T-005");
    assertThat(afterSync).filteredOn(i -> i.id().equals("INC-T-002")).singleElement()
        .extracting(Incident::severity).isEqualTo(Severity.SEV2);
    try (java.sql.Connection c = db.jdbc(); java.sql.Statement s = c.createStatement()) {
      s.execute("delete from incidents where id = 'INC-T-004'");
    }
    assertThat(reader.all().await(30, SECONDS)).extracting(Incident::id).hasSize(3).doesNotContain("INC-T-004");

    // A write through the store updates its copy (no reload), and the copy's fingerprint is the
    // one PostgreSQL computes, so the next read keeps it.
    List<Incident> beforeWrite = reader.all().await(30, SECONDS);
    Incident changed = beforeWrite.get(0);
    Incident resolved = new Incident(changed.id(), changed.title(), changed.occurredAt(), changed.severity(),
        IncidentStatus.RESOLVED, changed.assets(), changed.symptoms(), changed.detectedBy(), changed.duration(),
        changed.rootCause(), "Fixed in the test.", changed.runbooksUsed(), changed.body(), changed.file());
    reader.upsert(resolved).await(30, SECONDS);
    List<Incident> afterWrite = reader.all().await(30, SECONDS);
    assertThat(afterWrite).filteredOn(i -> i.id().equals(changed.id())).singleElement()
        .extracting(Incident::resolution).isEqualTo("Fixed in the test.");
    try (java.sql.Connection c = db.jdbc(); java.sql.Statement s = c.createStatement();
        java.sql.ResultSet fp = s.executeQuery(IncidentSnapshot.FINGERPRINT_SQL)) {
      fp.next();
      assertThat(IncidentSnapshot.of(afterWrite, afterWrite.stream().map(Incident::contentHash).toList())
          .matches(fp.getLong(1), fp.getLong(2))).isTrue();
    }
    assertThat(reader.all().await(30, SECONDS)).isSameAs(afterWrite);
  }

  /**
   * The API records an incident's time to the second, so several reported in one second tie on
   * it: they still list newest first, by their numbered ids (100 after 099), whether the list
   * comes from the table or from the store's copy updated in place.
   */
  @Test
  void incidents_of_the_same_second_list_newest_first(Vertx vertx) throws Exception {
    Database database = db.database(vertx).await(30, SECONDS);
    PgIncidentStore store = new PgIncidentStore(database.pool());
    List<String> ids = List.of("INC-2031-010", "INC-2031-100", "INC-2031-009", "INC-2031-099");
    java.time.Instant second = java.time.Instant.parse("2031-05-04T03:02:01Z");
    try {
      store.upsert(reported("INC-2031-001", second.minusSeconds(1))).await(30, SECONDS);
      for (String id : ids) {
        store.upsert(reported(id, second)).await(30, SECONDS);
      }
      List<String> expected = List.of("INC-2031-100", "INC-2031-099", "INC-2031-010", "INC-2031-009", "INC-2031-001");
      assertThat(store.all().await(30, SECONDS)).extracting(Incident::id).filteredOn(id -> id.startsWith("INC-2031-"))
          .as("the store's copy, updated by each write").containsExactlyElementsOf(expected);
      assertThat(new PgIncidentStore(database.pool()).all().await(30, SECONDS)).extracting(Incident::id)
          .filteredOn(id -> id.startsWith("INC-2031-")).as("read from the table").containsExactlyElementsOf(expected);
    } finally {
      try (java.sql.Connection c = db.jdbc(); java.sql.Statement s = c.createStatement()) {
        s.execute("delete from incidents where id like 'INC-2031-%'");
      }
    }
  }

  private static Incident reported(String id, java.time.Instant at) {
    return new Incident(id, "reported " + id, at, Severity.SEV3, IncidentStatus.OPEN, List.of(), List.of(),
        java.util.Optional.empty(), java.util.Optional.empty(), "", "", List.of(), "", java.util.Optional.empty());
  }

  @Test
  void similar_incidents_weigh_meaning_assets_and_symptoms_and_reports_are_indexed(Vertx vertx) throws Exception {
    Database database = db.database(vertx).await(30, SECONDS);
    PgIncidentStore store = new PgIncidentStore(database.pool());
    IncidentLoader.Loaded loaded = new IncidentLoader().loadAll(IncidentFixtures.INCIDENTS);
    new IncidentSync(store).sync(loaded).await(30, SECONDS);
    MiniLmEmbedder embedder = MiniLmEmbedder.byDefault();
    Indexer indexer = new Indexer(vertx, database.pool(), embedder);
    indexer.index(loaded.incidents().stream().map(Incident::document).toList(), true, IndexProgress.NONE)
        .await(120, SECONDS);
    IncidentService service = new IncidentService(vertx, database.pool(), indexer,
        new HybridSearch(vertx, database.pool(), embedder),
        new AssetRelations(IncidentFixtures.knowledge().assets()), IncidentFixtures::catalog,
        new PgAuditLog(database.pool(), Masker.none()));

    List<SimilarIncident> similar = service.similar("INC-T-001", 4).await(60, SECONDS);

    assertThat(similar).extracting(s -> s.incident().id()).startsWith("INC-T-002").doesNotContain("INC-T-001");
    SimilarIncident best = similar.get(0);
    assertThat(best.sharedAssets()).containsExactly("pipelines.feature-ingest");
    assertThat(best.sharedSymptoms()).containsExactly("FeatureStoreStale");
    assertThat(best.reasons()).anySatisfy(r -> assertThat(r).startsWith("similar in meaning"));
    assertThat(best.incident().runbooksUsed()).extracting(RunbookRef::toString).containsExactly("feature-store-restore@2");
    assertThat(service.similar("INC-T-003", 1).await(60, SECONDS).get(0).incident().id()).isEqualTo("INC-T-004");

    JsonNode body = new ObjectMapper().readTree("""
        {"title": "Online feature store stale again after consumer credential expired",
         "date": "2025-07-01T02:00:00Z", "severity": "sev2", "status": "open",
         "assets": ["features.online"], "symptoms": ["FeatureStoreStale"],
         "body": "## Summary\\nIngestion stopped; features are stale."}""");
    Incident reported = service.report(body, DMITRI).await(60, SECONDS);
    assertThat(reported.id()).matches("INC-\\d{4}-001");
    assertThat(reported.source()).isEqualTo("api");
    assertThat(service.similar(reported.id(), 1).await(60, SECONDS).get(0).incident().id()).isEqualTo("INC-T-001");
    List<RunbookSuggestion> runbooks = service.suggestRunbooks(reported.id(), 3).await(60, SECONDS);
    assertThat(runbooks).extracting(RunbookSuggestion::runbookId).startsWith("feature-store-restore")
        .doesNotContain("model-rollback");

    JsonNode again = new ObjectMapper().readTree("{\"id\": \"INC-T-001\", \"title\": \"x\", \"date\": \"2025-01-01\", \"severity\": \"sev4\"}");
    assertThatThrownBy(() -> service.report(again, DMITRI).await(30, SECONDS)).isInstanceOf(ConflictException.class);
    JsonNode bad = new ObjectMapper().readTree("{\"title\": \"x\", \"date\": \"yesterday\", \"severity\": \"high\", \"oops\": 1}");
    assertThatThrownBy(() -> service.report(bad, DMITRI).await(30, SECONDS))
        .isInstanceOfSatisfying(InvalidIncidentException.class, e -> assertThat(e.problems()).hasSize(3));

    // The report committed with its audit entry; the refused ones left none.
    List<AuditEntry> audited = new AuditQuery(database.pool())
        .find(AuditFilter.all().actionPrefix("incident.reported")).await(30, SECONDS);
    assertThat(audited).singleElement().satisfies(e -> {
      assertThat(e.actorId()).isEqualTo("dmitri");
      assertThat(e.subjectId()).isEqualTo(reported.id());
      assertThat(e.incidentId()).contains(reported.id());
    });
    assertThat(new AuditVerifier(database.pool()).verify().await(30, SECONDS).ok()).isTrue();
  }

  private static void copyFixtures(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(IncidentFixtures.INCIDENTS)) {
      for (Path f : files.toList()) {
        Files.copy(f, dir.resolve(f.getFileName()));
      }
    }
  }
}
