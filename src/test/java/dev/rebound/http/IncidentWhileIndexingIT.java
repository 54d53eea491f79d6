package dev.rebound.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.rebound.app.Bootstrap;
import dev.rebound.app.Workspace;
import dev.rebound.config.ReboundConfig;
import dev.rebound.db.TokenStore;
import dev.rebound.inventory.Role;
import dev.rebound.retrieval.EmbeddingSettings;
import dev.rebound.testing.TestDatabase;
import dev.rebound.testing.TestFiles;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * On a fresh database the service builds its search index at start; with a remote embedding model
 * (an OpenAI-compatible endpoint, played by WireMock and slow for batches) that takes a while.
 * Opening an incident meanwhile must not wait for it: the incident is stored and answered at once,
 * the answer says the index is warming up, and the incident is indexed once the index run ends.
 */
@ExtendWith(VertxExtension.class)
class IncidentWhileIndexingIT {
  @RegisterExtension static final TestDatabase db = TestDatabase.create();
  /** Long enough that the start-up indexing is still going on while the test opens its incident. */
  static final Duration BATCH_DELAY = Duration.ofSeconds(6);

  @TempDir Path tempDir;
  WireMockServer embeddings;
  Bootstrap.Running running;
  WebClient client;

  @AfterEach
  void stop() throws Exception {
    if (client != null) {
      client.close();
    }
    if (running != null) {
      running.database().close().await(30, SECONDS);
    }
    if (embeddings != null) {
      embeddings.stop();
    }
  }

  @Test
  void an_incident_opens_at_once_while_the_index_is_being_built_and_is_indexed_after(Vertx vertx) throws Exception {
    SlowEmbeddingEndpoint endpoint = new SlowEmbeddingEndpoint(BATCH_DELAY);
    embeddings = new WireMockServer(options().dynamicPort().extensions(endpoint));
    embeddings.start();
    embeddings.stubFor(post("/v1/embeddings").willReturn(aResponse().withTransformers(SlowEmbeddingEndpoint.NAME)));
    Path root = tempDir.resolve("content");
    TestFiles.copyTree(ServiceUnderTest.FIXTURES, root);
    ReboundConfig config = ReboundConfig.from(Map.of("DATABASE_URL", db.urlText(), "REBOUND_HTTP_PORT", "0"),
        root.resolve("rebound.yaml"));
    Workspace workspace = new Workspace(config, root.resolve("runbooks"), root.resolve("knowledge"));
    EmbeddingSettings slowRemote = new EmbeddingSettings(Optional.of("slow-embedder"),
        Optional.of(embeddings.baseUrl() + "/v1"), Optional.empty());
    running = Bootstrap.start(vertx, workspace, slowRemote).await(60, SECONDS);
    client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(running.port()));
    String token = new TokenStore(running.database().pool()).issue("dmitri", Role.RESPONDER, "test")
        .await(30, SECONDS).token();
    awaitIndexState("indexing"::equals);
    // The index run holds the index while it embeds: wait until it is embedding its first batch.
    long embedding = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (endpoint.batches() == 0 && System.nanoTime() < embedding) {
      Thread.sleep(20);
    }
    assertThat(endpoint.batches()).as("batches the index run sent").isPositive();

    HttpResponse<Buffer> opened = client.post("/api/incidents").bearerTokenAuthentication(token)
        .sendJsonObject(new JsonObject().put("title", "Ranker serving slow after the feature ingest stalled")
            .put("date", "2026-11-26T10:00:00Z").put("severity", "sev2").put("status", "open")
            .put("assets", new JsonArray().add("features.online")).put("symptoms", new JsonArray().add("FeatureStoreStale"))
            .put("body", "Online features stopped updating."))
        .await(30, SECONDS);

    // Answered while the index run is still going: the answer did not wait for its end.
    assertThat(indexState()).isEqualTo("indexing");
    assertThat(opened.statusCode()).as(opened.bodyAsString()).isEqualTo(201);
    JsonObject incident = opened.bodyAsJsonObject();
    String id = incident.getString("id");
    assertThat(incident.getString("title")).isEqualTo("Ranker serving slow after the feature ingest stalled");
    JsonObject index = incident.getJsonObject("index");
    assertThat(index.getString("state")).isEqualTo("indexing");
    assertThat(index.getBoolean("warming_up")).isTrue();
    assertThat(index.getBoolean("incident_indexed")).isFalse();
    assertThat(index.getString("note")).contains("still being built");

    // The incident page's reads answer too, over what is indexed so far, and say so.
    HttpResponse<Buffer> similar = client.get("/api/incidents/" + id + "/similar").bearerTokenAuthentication(token)
        .send().await(30, SECONDS);
    assertThat(similar.statusCode()).as(similar.bodyAsString()).isEqualTo(200);
    assertThat(similar.bodyAsJsonObject().getJsonObject("index").getString("state")).isIn("indexing", "fresh");
    HttpResponse<Buffer> runbooks = client.get("/api/incidents/" + id + "/runbooks").bearerTokenAuthentication(token)
        .send().await(30, SECONDS);
    assertThat(runbooks.statusCode()).as(runbooks.bodyAsString()).isEqualTo(200);
    assertThat(runbooks.bodyAsJsonObject().containsKey("index")).isTrue();

    // Once the index run is over, the incident is indexed too: search finds it.
    awaitIndexState(state -> !state.equals("indexing"));
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    JsonArray hits = new JsonArray();
    while (System.nanoTime() < deadline && !hits.encode().contains(id)) {
      hits = client.get("/api/search").addQueryParam("q", "ranker serving slow feature ingest stalled")
          .addQueryParam("kind", "incident").bearerTokenAuthentication(token).send().await(30, SECONDS)
          .bodyAsJsonObject().getJsonArray("hits", new JsonArray());
      Thread.sleep(200);
    }
    assertThat(hits.encode()).as("search hits for the new incident").contains(id);
  }

  private String indexState() throws Exception {
    HttpResponse<Buffer> ready = client.get("/health/ready").send().await(30, SECONDS);
    return ready.bodyAsJsonObject().getJsonObject("details").getJsonObject("retrieval").getString("index");
  }

  private void awaitIndexState(Predicate<String> wanted) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    String state = indexState();
    while (!wanted.test(state)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("index state stayed " + state);
      }
      Thread.sleep(50);
      state = indexState();
    }
  }
}
