package dev.rebound.engine;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static dev.rebound.engine.EngineFixture.step;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.rebound.audit.AuditVerifier;
import dev.rebound.audit.VerifyResult;
import dev.rebound.db.Database;
import dev.rebound.testing.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
/**
 * Two replicas on one database (engines built by {@link EngineFixture}, a second pool when a test
 * needs one) and the checks the replica suites share: calls the target saw per idempotency key,
 * the audit chain, engines idle. Each suite brings its own database and target.
 */
@ExtendWith(VertxExtension.class)
abstract class ReplicaFixture {
  static final AtomicInteger N = new AtomicInteger(500);
  static final int ROUNDS = 8;

  @TempDir Path tempDir;
  Vertx vertx;
  EngineFixture fixture;
  /** A second pool on the database, closed after the fixture's engines stopped. */
  Database other;

  @BeforeEach
  void setUp(Vertx vertx) throws Exception {
    this.vertx = vertx;
    target().resetAll();
    target().stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withFixedDelay(20)));
    fixture = new EngineFixture(vertx, db(), target(), tempDir);
  }

  @AfterEach
  void tearDown() throws Exception {
    fixture.close();
    if (other != null) {
      other.close().await(10, SECONDS);
    }
  }

  static EngineSettings replica(String owner) {
    return EngineFixture.settings().withOwnerId(owner);
  }

  /** Calls the target saw for {@code path} with the step's idempotency key. */
  int calls(String path, String runId, String stepId) {
    return (int) target().getAllServeEvents().stream()
        .filter(e -> e.getRequest().getUrl().equals(path))
        .filter(e -> (runId + "/" + stepId).equals(e.getRequest().getHeader("Idempotency-Key")))
        .count();
  }

  void assertChainIntact() throws Exception {
    VerifyResult chain = new AuditVerifier(fixture.database.pool()).verify().await(30, SECONDS);
    assertThat(chain.ok()).as(chain.summary()).isTrue();
  }

  static void awaitIdle(Engine... engines) throws Exception {
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (Arrays.stream(engines).mapToInt(Engine::inFlight).sum() > 0) {
      assertThat(System.nanoTime()).as("engines still busy").isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  abstract TestDatabase db();

  abstract WireMockExtension target();
}
