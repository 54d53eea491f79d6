package dev.rebound.engine;

import dev.rebound.testing.TestFiles;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.extension.requestfilter.RequestFilterAction;
import com.github.tomakehurst.wiremock.extension.requestfilter.StubRequestFilterV2;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import dev.rebound.audit.AuditVerifier;
import dev.rebound.audit.VerifyResult;
import dev.rebound.config.ReboundConfig;
import dev.rebound.db.Database;
import dev.rebound.db.RunbookApprovalStore;
import dev.rebound.db.TokenStore;
import dev.rebound.inventory.Role;
import dev.rebound.runbook.Runbook;
import dev.rebound.testing.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The service runs in a child JVM ({@link CrashChild}) and is killed with SIGKILL at one point of
 * a four-step run (runbook {@code engine-crash/crash.yaml}: s1 and s3 not idempotent, s2 and s4
 * idempotent, s2 with a check); a fresh child on the same database recovers it (1 s lease,
 * 100 ms poll) and the test finishes the run over HTTP as a person would: approving what waits,
 * rolling back a step whose outcome is unknown. Then: no non-idempotent action or undo reached
 * the target twice, every call the target saw was preceded by its audit entry, and the chain
 * verifies. The target counts requests as they arrive (not when answered), so a call cut off
 * by the kill counts.
 */
@ExtendWith(VertxExtension.class)
class CrashIT {
  @RegisterExtension static final TestDatabase db = TestDatabase.create();
  static final Arrivals arrivals = new Arrivals();
  static final WireMockServer target = new WireMockServer(options().dynamicPort().extensions(arrivals));
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient http = HttpClient.newHttpClient();
  static final Duration DELAY = Duration.ofSeconds(4);
  static final List<String> NOT_IDEMPOTENT = List.of("s1", "s3");

  static Path root;
  static Path logs;
  static Vertx vertx;
  static Database database;
  static String dmitri;
  static String alice;

  /** Where the child is killed; {@code delayed} is the call (relative to the run's tag) held in flight. */
  enum KillPoint {
    RIGHT_AFTER_APPROVAL("s2", "succeeded"),
    IDEMPOTENT_ACTION_IN_FLIGHT("s2", "succeeded"),
    NON_IDEMPOTENT_ACTION_IN_FLIGHT("s3", "rolled_back"),
    WHILE_CHECKS_RUN("s2/verify", "succeeded"),
    UNDO_IN_FLIGHT("s2/undo", "rolled_back");

    final String delayed;
    final String outcome;

    KillPoint(String delayed, String outcome) {
      this.delayed = delayed;
      this.outcome = outcome;
    }

    String tag() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  @BeforeAll
  static void setUp(Vertx v, @TempDir Path tempDir) throws Exception {
    vertx = v;
    target.start();
    target.stubFor(any(anyUrl()).atPriority(10).willReturn(aResponse().withStatus(200).withBody("{}")));
    root = tempDir.resolve("content");
    logs = tempDir.resolve("logs");
    Files.createDirectories(logs);
    TestFiles.copyTree(EngineFixture.FIXTURES, root);
    Files.copy(EngineFixture.FIXTURES.resolveSibling("engine-crash").resolve("crash.yaml"),
        root.resolve("runbooks/crash.yaml"));
    database = db.database(vertx).await(30, SECONDS);
    ReboundConfig config = ReboundConfig.from(Map.of("DATABASE_URL", db.urlText()), root.resolve("rebound.yaml"));
    var workspace = new dev.rebound.app.Workspace(config, root.resolve("runbooks"), root.resolve("knowledge"));
    RunbookApprovalStore approvals = new RunbookApprovalStore(database.pool());
    for (Runbook r : workspace.loadRunbooks().runbooks()) {
      approvals.record(r.id(), r.version(), r.contentHash(), "bruno", "crash tests").await(10, SECONDS);
    }
    TokenStore tokens = new TokenStore(database.pool());
    dmitri = tokens.issue("dmitri", Role.RESPONDER, "crash").await(10, SECONDS).token();
    alice = tokens.issue("alice", Role.APPROVER, "crash").await(10, SECONDS).token();
  }

  @AfterAll
  static void tearDown() throws Exception {
    target.stop();
    if (database != null) {
      database.close().await(10, SECONDS);
    }
  }

  @ParameterizedTest
  @EnumSource(KillPoint.class)
  void a_killed_service_resumes_without_doing_an_unsafe_step_twice_or_losing_its_record(KillPoint point)
      throws Exception {
    String tag = point.tag();
    String prefix = "/crash/" + tag + "/";
    StubMapping delay = target.stubFor(any(urlEqualTo(prefix + point.delayed)).atPriority(1)
        .willReturn(aResponse().withStatus(200).withBody("{}").withFixedDelay((int) DELAY.toMillis())));
    if (point == KillPoint.UNDO_IN_FLIGHT) {
      target.stubFor(any(urlEqualTo(prefix + "s4")).atPriority(1).willReturn(aResponse().withStatus(500)));
    }

    Child first = Child.start(tag + "-1");
    String runId;
    try {
      JsonNode created = call(first, "POST", "/api/runs", dmitri,
          "{\"runbook_id\": \"crash\", \"params\": {\"tag\": \"" + tag + "\"}}");
      runId = created.path("id").asText();
      assertThat(runId).as(created.toString()).isNotEmpty();
      Driver driver = new Driver(first, runId);
      if (point == KillPoint.RIGHT_AFTER_APPROVAL) {
        driver.until(() -> driver.approvedStep.equals("s2"));
      } else {
        driver.until(() -> arrivals.count(prefix + point.delayed) > 0);
        Thread.sleep(100); // the call is in flight at the target
      }
    } finally {
      first.kill();
    }
    target.removeStub(delay);

    Child second = Child.start(tag + "-2");
    JsonNode end;
    try {
      Driver driver = new Driver(second, runId);
      long t0 = System.nanoTime();
      driver.until(() -> driver.finalState());
      System.err.printf("crash %s recovered and finished in %d ms%n", tag, (System.nanoTime() - t0) / 1_000_000);
      end = driver.view;
    } finally {
      second.kill();
    }

    assertThat(end.path("state").asText()).as(end.toPrettyString()).isEqualTo(point.outcome);
    List<String[]> audit = audit(runId);
    for (String step : List.of("s1", "s2", "s3", "s4")) {
      int actions = arrivals.count(prefix + step);
      int undos = arrivals.count(prefix + step + "/undo");
      if (NOT_IDEMPOTENT.contains(step)) {
        assertThat(actions).as("calls of non-idempotent %s", step).isLessThanOrEqualTo(1);
        assertThat(undos).as("undos of non-idempotent %s", step).isLessThanOrEqualTo(1);
      }
      assertThat(actions).as("calls of %s against its step.started/step.resumed entries", step)
          .isLessThanOrEqualTo(count(audit, step, "step.started", "step.resumed"));
      assertThat(undos).as("undos of %s against its rollback entries", step)
          .isLessThanOrEqualTo(count(audit, step, "step.rollback_started", "step.rollback_resumed"));
    }
    if (point == KillPoint.IDEMPOTENT_ACTION_IN_FLIGHT || point == KillPoint.WHILE_CHECKS_RUN) {
      assertThat(arrivals.count(prefix + "s2")).isBetween(1, 2);
    }
    if (point == KillPoint.NON_IDEMPOTENT_ACTION_IN_FLIGHT) {
      assertThat(arrivals.count(prefix + "s3/undo")).as("the undo of an unknown outcome runs").isEqualTo(1);
    }
    VerifyResult chain = new AuditVerifier(database.pool()).verify().await(30, SECONDS);
    assertThat(chain.ok()).as(chain.summary()).isTrue();
  }

  /** (step id, action) of the run's audit entries, oldest first. */
  private static List<String[]> audit(String runId) throws Exception {
    List<String[]> out = new ArrayList<>();
    try (Connection c = db.auditReader(); PreparedStatement s = c.prepareStatement(
        "select coalesce(details->>'step_id', ''), action from audit_log where run_id = ? order by seq")) {
      s.setString(1, runId);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          out.add(new String[] {rs.getString(1), rs.getString(2)});
        }
      }
    }
    return out;
  }

  private static int count(List<String[]> audit, String step, String... actions) {
    return (int) audit.stream().filter(e -> e[0].equals(step) && List.of(actions).contains(e[1])).count();
  }

  /**
   * Plays the people: approves whatever step awaits approval, rolls back once when a step failed,
   * aborts when the rollback itself waits for a person.
   */
  private static final class Driver {
    final Child child;
    final String runId;
    JsonNode view;
    String approvedStep = "";
    boolean rolledBack;
    boolean aborted;

    Driver(Child child, String runId) {
      this.child = child;
      this.runId = runId;
    }

    boolean finalState() {
      return RunState.fromDb(view.path("state").asText()).isFinal();
    }

    void until(BooleanSupplier done) throws Exception {
      long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
      while (true) {
        view = call(child, "GET", "/api/runs/" + runId, alice, null);
        if (done.getAsBoolean()) {
          return;
        }
        if (System.nanoTime() > deadline) {
          throw new AssertionError("not reached; run is " + view.toPrettyString() + "\nchild log:\n" + child.log());
        }
        act();
        if (done.getAsBoolean()) {
          return;
        }
        Thread.sleep(50);
      }
    }

    private void act() throws Exception {
      if (finalState()) {
        return;
      }
      String awaiting = view.path("awaiting").path("step_id").asText("");
      Optional<JsonNode> failed = steps().stream().filter(s -> s.path("state").asText().equals("failed")).findFirst();
      if (failed.isPresent() && !rolledBack) {
        rolledBack = true;
        call(child, "POST", "/api/runs/" + runId + "/rollback", alice, "{\"reason\": \"crash test\"}");
      } else if (rolledBack && !aborted && view.path("waiting_for").asText("").startsWith("a person")
          && !"rollback".equals(view.path("work").asText(""))) {
        aborted = true;
        call(child, "POST", "/api/runs/" + runId + "/abort", alice, "{\"reason\": \"crash test\"}");
      } else if (!awaiting.isEmpty() && !rolledBack) {
        JsonNode step = steps().stream().filter(s -> s.path("id").asText().equals(awaiting)).findFirst().orElseThrow();
        call(child, "POST", "/api/runs/" + runId + "/steps/" + awaiting + "/approve", alice,
            "{\"action_hash\": \"" + step.path("action_hash").asText() + "\"}");
        approvedStep = awaiting;
      }
    }

    private List<JsonNode> steps() {
      List<JsonNode> out = new ArrayList<>();
      view.path("steps").forEach(out::add);
      return out;
    }
  }

  /** Sends a request to the child; answers its JSON (error bodies included, so refusals do not throw). */
  static JsonNode call(Child child, String method, String path, String token, String body) throws Exception {
    HttpRequest.Builder req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + child.port + path))
        .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token);
    req = body == null ? req.GET()
        : req.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> resp = http.send(req.build(), HttpResponse.BodyHandlers.ofString());
    return resp.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(resp.body());
  }

  /** A service JVM on the test database; {@link #kill()} is SIGKILL. */
  static final class Child {
    private static final Pattern LISTENING = Pattern.compile("LISTENING (\\d+)");
    final Process process;
    final Path logFile;
    final int port;

    private Child(Process process, Path logFile, int port) {
      this.process = process;
      this.logFile = logFile;
      this.port = port;
    }

    static Child start(String name) throws Exception {
      Path logFile = logs.resolve(name + ".log");
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      // C1 only and the serial GC: the service starts in about half the time, on a busy machine too.
      ProcessBuilder pb = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
          "-cp", System.getProperty("java.class.path"),
          CrashChild.class.getName(), root.toString())
          .redirectErrorStream(true).redirectOutput(logFile.toFile());
      Map<String, String> env = pb.environment();
      env.put("DATABASE_URL", db.urlText());
      env.put("TARGET_URL", "http://127.0.0.1:" + target.port());
      env.put("REBOUND_HTTP_PORT", "0");
      env.put("REBOUND_HTTP_HOST", "127.0.0.1");
      env.put("REBOUND_ENGINE_LEASE", "1s");
      env.put("REBOUND_ENGINE_POLL_INTERVAL", "100ms");
      long started = System.nanoTime();
      Process process = pb.start();
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (System.nanoTime() < deadline) {
        String text = Files.exists(logFile) ? Files.readString(logFile) : "";
        Matcher m = LISTENING.matcher(text);
        if (m.find()) {
          System.err.printf("crash child %s listening after %d ms%n", name, (System.nanoTime() - started) / 1_000_000);
          return new Child(process, logFile, Integer.parseInt(m.group(1)));
        }
        if (!process.isAlive()) {
          throw new AssertionError("child " + name + " exited " + process.exitValue() + ":\n" + text);
        }
        Thread.sleep(50);
      }
      process.destroyForcibly();
      throw new AssertionError("child " + name + " did not start:\n" + Files.readString(logFile));
    }

    void kill() throws InterruptedException {
      process.destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no graceful stop
      process.waitFor(10, SECONDS);
    }

    String log() {
      try {
        String text = Files.readString(logFile);
        return text.length() > 8000 ? text.substring(text.length() - 8000) : text;
      } catch (java.io.IOException e) {
        return "(no log: " + e + ")";
      }
    }
  }

  /** Counts requests by URL when they arrive, before any delay, so a call cut off by a kill counts. */
  static final class Arrivals implements StubRequestFilterV2 {
    private final Map<String, AtomicInteger> byUrl = new ConcurrentHashMap<>();

    @Override
    public RequestFilterAction filter(Request request, ServeEvent serveEvent) {
      byUrl.computeIfAbsent(request.getUrl(), k -> new AtomicInteger()).incrementAndGet();
      return RequestFilterAction.continueWith(request);
    }

    int count(String url) {
      AtomicInteger n = byUrl.get(url);
      return n == null ? 0 : n.get();
    }

    @Override
    public String getName() {
      return "crash-arrivals";
    }
  }
}
