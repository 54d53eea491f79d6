package dev.rebound.agent;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.fail;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.rebound.testing.TestDatabase;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drives the real agent loop, in the real service, against a scripted model (WireMock speaking
 * the OpenAI protocol) and a target system (WireMock), one scenario per folder of
 * {@code src/test/resources/agent-scenarios}: add a scenario by adding a folder with a
 * {@code scenario.yaml} (format in that folder's README.md). {@link ScenarioRun} plays one
 * scenario; {@link ScenarioChecks} holds the expectations and the loop's invariants checked
 * after every scenario.
 */
class AgentScenariosIT {
  @RegisterExtension static final TestDatabase db = TestDatabase.create();
  @TempDir static Path tempDir;

  static final Path SCENARIOS = ScenarioService.BASE.resolve("src/test/resources/agent-scenarios");

  private static Vertx vertx;
  private static WireMockServer model;
  private static WireMockServer target;
  private static ScenarioService service;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    model = new WireMockServer(options().dynamicPort());
    target = new WireMockServer(options().dynamicPort());
    model.start();
    target.start();
    service = new ScenarioService(vertx, db, tempDir, model, target);
    service.start(true);
    service.approveRunbook("feature-store-restore");
    long deadline = System.currentTimeMillis() + 180_000;
    while (!"fresh".equals(JsonExpect.at(ScenarioRun.json(service.get("/health/ready", null)),
        "details.retrieval.index").asText())) {
      if (System.currentTimeMillis() > deadline) {
        fail("the retrieval index was not built: " + service.get("/health/ready", null).bodyAsString());
      }
      Thread.sleep(200);
    }
  }

  @AfterAll
  static void stop() throws Exception {
    if (service != null) {
      service.stop();
    }
    model.stop();
    target.stop();
    vertx.close().await();
  }

  /** {@code -Dagent.scenarios=REGEX} plays only the scenarios whose folder name matches (all by default). */
  @TestFactory
  Stream<DynamicTest> scenarios() throws IOException {
    String only = System.getProperty("agent.scenarios", ".*");
    try (Stream<Path> dirs = Files.list(SCENARIOS)) {
      return dirs.filter(d -> Files.isRegularFile(d.resolve("scenario.yaml")))
          .filter(d -> d.getFileName().toString().matches(only)).sorted().toList().stream()
          .map(dir -> DynamicTest.dynamicTest(dir.getFileName().toString(),
              () -> new ScenarioRun(dir, service, db).run()));
    }
  }
}
