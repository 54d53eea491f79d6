package dev.rebound.bench;

import dev.rebound.app.Bootstrap;
import dev.rebound.app.Workspace;
import dev.rebound.config.DatabaseUrl;
import dev.rebound.config.ReboundConfig;
import dev.rebound.config.Secret;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * Alertmanager webhook to incident with suggestions, without a model: each request is a new alert
 * group, so each opens an incident (stored, embedded, indexed) and computes the guided suggestions
 * (3 similar incidents, runbooks that fit, the best one's plan) before the response. Baselines in
 * the same run and process: an authenticated {@code GET /api/whoami} (the HTTP and auth floor)
 * and {@code POST /api/incidents} (opening an incident alone). Not a test: run it by hand from the
 * repository root (it serves the bundled runbooks and knowledge on a scratch database).
 *
 * <pre>
 * mvn -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp target/classes:target/test-classes:$(cat target/cp.txt) dev.rebound.bench.AlertIntakeBench [requests]
 * </pre>
 *
 * Default 100 requests of each kind after 10 warm-up ones, sequential. Target: p95 of the webhook
 * at most 300 ms. Needs DATABASE_URL's role to have CREATEDB; drops its database at the end.
 */
public final class AlertIntakeBench {
  private static final String TOKEN = "bench-admin-token-0123456789abcdef";
  private static final int WARMUP = 10;
  private static final String[][] ALERTS = {
      {"FeatureStoreStale", "features.online", "Online features are stale: freshness lag 40m"},
      {"RankerErrorRateHigh", "models.ranker", "Ranker 5xx above 5% after a deploy"},
      {"RagAnswersIrrelevant", "rag.index", "RAG answers cite the wrong documents"},
      {"PipelineLagHigh", "pipelines.feature-ingest", "Feature ingestion is 2 hours behind"},
      {"ServingLatencyHigh", "serving.primary", "Serving p95 latency above 800 ms"}};

  private AlertIntakeBench() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    DatabaseUrl server = ReboundConfig.fromEnvironment().database();
    DatabaseUrl url = server.withDatabase("rebound_bench_alerts_" + Instant.now().getEpochSecond());
    admin(server, "create database " + url.database() + " template template1");
    Vertx vertx = Vertx.vertx();
    try {
      ReboundConfig config = ReboundConfig.load(Map.of("DATABASE_URL", urlText(url), "REBOUND_HTTP_PORT", "0",
          "REBOUND_ADMIN_TOKEN", TOKEN), Path.of(""));
      Workspace workspace = new Workspace(config, Path.of("runbooks"), Path.of("knowledge"));
      Bootstrap.Running running = Bootstrap.start(vertx, workspace).await(120, TimeUnit.SECONDS);
      try {
        run("http://127.0.0.1:" + running.port(), n);
      } finally {
        running.close().await(30, TimeUnit.SECONDS);
      }
    } finally {
      vertx.close().await(30, TimeUnit.SECONDS);
      admin(server, "drop database if exists " + url.database() + " with (force)");
    }
  }

  private static void run(String base, int n) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.currentTimeMillis() + 300_000;
    while (!send(http, HttpRequest.newBuilder(URI.create(base + "/health/ready")).GET()).body()
        .contains("\"index\":\"fresh\"")) {
      if (System.currentTimeMillis() > deadline) {
        throw new IllegalStateException("the index was not built within 5 minutes");
      }
      Thread.sleep(200);
    }
    String stamp = Long.toString(System.currentTimeMillis(), 36);
    List<Double> whoami = measure(n, i -> get(base + "/api/whoami"), http);
    List<Double> incidents = measure(n, i -> post(base + "/api/incidents", incident(i)), http);
    List<Double> webhooks = measure(n, i -> post(base + "/api/alerts/alertmanager", webhook(stamp, i)), http);
    System.out.printf(Locale.ROOT, "%d requests each, sequential, after %d warm-up; bundled runbooks and knowledge,"
        + " no model%n", n, WARMUP);
    print("baseline GET /api/whoami (authenticated)", whoami);
    print("baseline POST /api/incidents (open + index)", incidents);
    print("POST /api/alerts/alertmanager (incident + suggestions)", webhooks);
    System.out.printf(Locale.ROOT, "target: webhook p95 <= 300 ms: %s%n",
        percentile(webhooks, 95) <= 300.0 ? "met" : "NOT met");
  }

  private static List<Double> measure(int n, IntFunction<HttpRequest.Builder> request, HttpClient http)
      throws Exception {
    List<Double> times = new ArrayList<>();
    for (int i = 0; i < WARMUP + n; i++) {
      HttpRequest.Builder r = request.apply(i);
      long start = System.nanoTime();
      HttpResponse<String> res = send(http, r);
      long took = System.nanoTime() - start;
      if (res.statusCode() >= 300) {
        throw new IllegalStateException("HTTP " + res.statusCode() + ": " + res.body());
      }
      if (i >= WARMUP) {
        times.add(took / 1_000_000.0);
      }
    }
    return times;
  }

  private static JsonObject incident(int i) {
    String[] a = ALERTS[i % ALERTS.length];
    return new JsonObject().put("title", a[2] + " (" + i + ")").put("date", Instant.now().toString().substring(0, 19)
        + "Z").put("severity", "sev2").put("status", "open").put("assets", new JsonArray().add(a[1]))
        .put("symptoms", new JsonArray().add(a[0]));
  }

  private static JsonObject webhook(String stamp, int i) {
    String[] a = ALERTS[i % ALERTS.length];
    JsonObject labels = new JsonObject().put("alertname", a[0]).put("severity", "critical").put("asset", a[1]);
    return new JsonObject().put("version", "4").put("groupKey", "{}:{bench=\"" + stamp + "-" + i + "\"}")
        .put("status", "firing").put("receiver", "rebound").put("commonLabels", labels)
        .put("commonAnnotations", new JsonObject().put("summary", a[2]))
        .put("externalURL", "http://alertmanager:9093")
        .put("alerts", new JsonArray().add(new JsonObject().put("status", "firing").put("labels", labels)
            .put("annotations", new JsonObject().put("description", a[2])).put("startsAt", Instant.now().toString())
            .put("fingerprint", Integer.toHexString(i) + stamp)));
  }

  private static HttpRequest.Builder get(String uri) {
    return HttpRequest.newBuilder(URI.create(uri)).header("Authorization", "Bearer " + TOKEN).GET();
  }

  private static HttpRequest.Builder post(String uri, JsonObject body) {
    return HttpRequest.newBuilder(URI.create(uri)).header("Authorization", "Bearer " + TOKEN)
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.encode()));
  }

  private static HttpResponse<String> send(HttpClient http, HttpRequest.Builder r) throws Exception {
    return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static void print(String what, List<Double> ms) {
    System.out.printf(Locale.ROOT, "%-58s p50 %7.1f ms   p95 %7.1f ms   max %7.1f ms%n", what, percentile(ms, 50),
        percentile(ms, 95), ms.stream().mapToDouble(Double::doubleValue).max().orElse(0));
  }

  private static double percentile(List<Double> values, double p) {
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  private static String urlText(DatabaseUrl u) {
    String password = u.password().map(Secret::reveal)
        .map(p -> ":" + java.net.URLEncoder.encode(p, java.nio.charset.StandardCharsets.UTF_8)).orElse("");
    return "postgresql://" + java.net.URLEncoder.encode(u.user(), java.nio.charset.StandardCharsets.UTF_8) + password
        + "@" + u.host() + ":" + u.port() + "/" + u.database();
  }

  private static void admin(DatabaseUrl u, String sql) throws Exception {
    try (Connection c = DriverManager.getConnection(u.jdbcUrl(), u.user(), u.password().map(Secret::reveal).orElse(null));
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

}
