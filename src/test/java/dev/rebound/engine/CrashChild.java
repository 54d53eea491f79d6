package dev.rebound.engine;

import static java.util.concurrent.TimeUnit.SECONDS;

import dev.rebound.app.Bootstrap;
import dev.rebound.app.Workspace;
import dev.rebound.config.ReboundConfig;
import dev.rebound.retrieval.EmbeddingSettings;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The service CrashIT kills: {@link Bootstrap} over the content directory given as the only
 * argument, configured from the environment (DATABASE_URL, TARGET_URL, REBOUND_HTTP_PORT,
 * REBOUND_ENGINE_LEASE, REBOUND_ENGINE_POLL_INTERVAL). Prints {@code LISTENING <port>} once
 * serving, then runs until killed. Embeddings point at a closed port so the background index
 * fails fast instead of loading the in-process model at every start.
 */
public final class CrashChild {
  private CrashChild() {}

  public static void main(String[] args) throws Exception {
    Path root = Path.of(args[0]);
    Map<String, String> env = System.getenv();
    ReboundConfig config = ReboundConfig.from(env, root.resolve("rebound.yaml"));
    Workspace workspace = new Workspace(config, root.resolve("runbooks"), root.resolve("knowledge"));
    EngineSettings settings = EngineSettings.fromEnvironment(env).withMaxBackoff(Duration.ofMillis(10));
    EmbeddingSettings embedding =
        new EmbeddingSettings(Optional.of("crash-test-none"), Optional.of("http://127.0.0.1:9/v1"), Optional.empty());
    Bootstrap.Running running = Bootstrap.start(Vertx.vertx(), workspace, embedding, settings).await(60, SECONDS);
    System.out.println("LISTENING " + running.port());
    System.out.flush();
    Thread.currentThread().join();
  }
}
