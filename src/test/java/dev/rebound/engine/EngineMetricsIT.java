package dev.rebound.engine;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static dev.rebound.engine.EngineFixture.actionHash;
import static dev.rebound.engine.EngineFixture.person;
import static dev.rebound.engine.EngineFixture.runIs;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.rebound.error.ForbiddenException;
import dev.rebound.http.Metrics;
import dev.rebound.testing.TestDatabase;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the engine reports on /metrics, read as Prometheus scrapes it: runs by state, step
 * durations, time waiting for approval, check outcomes and refusals, each moved by a real run.
 * A second engine on the same registry (the service's drill engine) must not hide the first
 * one's meters.
 */
@ExtendWith(VertxExtension.class)
class EngineMetricsIT {
  @RegisterExtension static final TestDatabase db = TestDatabase.create();
  @RegisterExtension
  static final WireMockExtension target = WireMockExtension.newInstance().options(options().dynamicPort()).build();

  @TempDir Path tempDir;
  EngineFixture fixture;
  PrometheusMeterRegistry registry;
  Engine engine;

  @BeforeEach
  void setUp(Vertx vertx) throws Exception {
    target.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("{\"ok\": true}")));
    fixture = new EngineFixture(vertx, db, target, tempDir);
    registry = Metrics.newRegistry();
    engine = fixture.engine(EngineFixture.settings(), registry);
    fixture.engine(EngineFixture.settings(), registry); // like the drill engine: same registry
  }

  @AfterEach
  void tearDown() throws Exception {
    fixture.close();
  }

  @Test
  void a_run_moves_every_engine_meter() throws Exception {
    String runId = fixture.create(engine, "dmitri", "happy", "{\"snapshot\": \"snap-1\"}").path("id").asText();
    JsonNode view = fixture.await(engine, runId, EngineFixture.stepIs("pause", "awaiting_approval"));
    assertThatThrownBy(() -> engine.approve(person("grace"), runId, "pause", actionHash(view, "pause")).await(10, SECONDS))
        .isInstanceOf(ForbiddenException.class);
    engine.approve(person("alice"), runId, "pause", actionHash(view, "pause")).await(10, SECONDS);
    JsonNode restore = fixture.await(engine, runId, EngineFixture.stepIs("restore", "awaiting_approval"));
    engine.approve(person("alice"), runId, "restore", actionHash(restore, "restore")).await(10, SECONDS);
    engine.approve(person("bruno"), runId, "restore", actionHash(restore, "restore")).await(10, SECONDS);
    fixture.await(engine, runId, runIs("succeeded"));

    String scrape = refreshedScrape();
    assertThat(value(scrape, "rebound_engine_runs", "state=\"succeeded\"")).isEqualTo(1);
    assertThat(value(scrape, "rebound_engine_runs", "state=\"running\"")).isZero();
    assertThat(value(scrape, "rebound_engine_step_duration_seconds_count", "result=\"succeeded\"")).isEqualTo(2);
    assertThat(value(scrape, "rebound_engine_approval_wait_seconds_count", "")).isEqualTo(2);
    assertThat(value(scrape, "rebound_engine_checks_total", "phase=\"precondition\"")).isEqualTo(1);
    assertThat(value(scrape, "rebound_engine_checks_total", "phase=\"verify\"")).isEqualTo(1);
    assertThat(value(scrape, "rebound_engine_checks_total", "phase=\"validation\"")).isEqualTo(1);
    assertThat(value(scrape, "rebound_engine_refusals_total", "reason=\"role_too_low\"")).isEqualTo(1);
  }

  /** The runs gauge is refreshed from the database every few polls; poll until it has been. */
  private String refreshedScrape() throws Exception {
    for (int i = 0; i < 12; i++) {
      engine.pollOnce().await(10, SECONDS);
      String scrape = registry.scrape();
      if (value(scrape, "rebound_engine_runs", "state=\"succeeded\"") > 0) {
        return scrape;
      }
      Thread.sleep(20);
    }
    return registry.scrape();
  }

  /** The sum of a metric's samples whose labels contain {@code label} (all of them when empty). */
  private static double value(String scrape, String metric, String label) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(metric) + "\\{([^}]*)\\} (\\S+)$").matcher(scrape);
    double sum = 0;
    while (m.find()) {
      if (m.group(1).contains(label)) {
        sum += Double.parseDouble(m.group(2));
      }
    }
    return sum;
  }
}
