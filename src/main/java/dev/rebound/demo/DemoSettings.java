package dev.rebound.demo;

import dev.rebound.config.DatabaseUrl;
import dev.rebound.config.ReboundConfig;
import dev.rebound.retrieval.CachingEmbedder;
import dev.rebound.retrieval.Embedder;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * How one demo platform runs: where it listens, its admin token, the directory its files live
 * under ({@code <baseDir>/var/demo/...}: Rebound's working directory, so the relative paths in
 * the registry and in {@code knowledge/assets.yaml} hold), the database its schemas live in, the
 * periods of its background loops, and the embedding model of its RAG index.
 *
 * @param port 0 picks a free port (tests)
 * @param baseDir the working directory the documented relative paths are relative to
 */
public record DemoSettings(
    String host, int port, String adminToken, Path baseDir, DatabaseUrl database, DemoTimings timings,
    Embedder embedder) {

  public static final int DEFAULT_PORT = 8090;
  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final String DEFAULT_ADMIN_TOKEN = "demo-admin-token";

  public DemoSettings {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(database, "database");
    Objects.requireNonNull(timings, "timings");
    Objects.requireNonNull(embedder, "embedder");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0..65535, got " + port);
    }
    if (adminToken == null || adminToken.isBlank()) {
      throw new IllegalArgumentException("the demo admin token must not be blank");
    }
    baseDir = baseDir.toAbsolutePath().normalize();
  }

  /** Documented defaults: port 8090, standard timings, files under {@code baseDir}. */
  public static DemoSettings of(DatabaseUrl database, Path baseDir) {
    return new DemoSettings(DEFAULT_HOST, DEFAULT_PORT, DEFAULT_ADMIN_TOKEN, baseDir, database,
        DemoTimings.standard(), CachingEmbedder.sharedMiniLm());
  }

  /**
   * For {@code serve --demo}: {@code REBOUND_DEMO_PORT} (default 8090), {@code REBOUND_DEMO_HOST}
   * (default 127.0.0.1), {@code REBOUND_DEMO_DIR} (default the working directory),
   * {@code REBOUND_DEMO_SPEED=fast} for the fast loop periods; the admin token is the value of the
   * template variable {@code DEMO_ADMIN_TOKEN} (what runbooks send), else the default.
   *
   * @throws IllegalArgumentException naming the variable with a bad value
   */
  public static DemoSettings fromEnvironment(Map<String, String> env, ReboundConfig config, Path workingDir) {
    int port = DEFAULT_PORT;
    String portText = env.get("REBOUND_DEMO_PORT");
    if (portText != null && !portText.isBlank()) {
      try {
        port = Integer.parseInt(portText.trim());
      } catch (NumberFormatException e) {
        port = -1;
      }
      // Checked here, not only by the constructor, whose message could not name the variable.
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("REBOUND_DEMO_PORT: not a port number (0-65535): " + portText.trim());
      }
    }
    String host = blankTo(env.get("REBOUND_DEMO_HOST"), DEFAULT_HOST);
    Path base = workingDir.resolve(blankTo(env.get("REBOUND_DEMO_DIR"), "."));
    String token = config.templateEnv().value("DEMO_ADMIN_TOKEN")
        .orElse(blankTo(env.get("DEMO_ADMIN_TOKEN"), DEFAULT_ADMIN_TOKEN));
    String speed = blankTo(env.get("REBOUND_DEMO_SPEED"), "standard");
    DemoTimings timings = switch (speed) {
      case "standard" -> DemoTimings.standard();
      case "fast" -> DemoTimings.fast();
      default -> throw new IllegalArgumentException("REBOUND_DEMO_SPEED: standard or fast, got " + speed);
    };
    return new DemoSettings(host, port, token, base, config.database(), timings,
        CachingEmbedder.sharedMiniLm());
  }

  public DemoSettings withPort(int newPort) {
    return new DemoSettings(host, newPort, adminToken, baseDir, database, timings, embedder);
  }

  public DemoSettings withTimings(DemoTimings newTimings) {
    return new DemoSettings(host, port, adminToken, baseDir, database, newTimings, embedder);
  }

  public DemoSettings withEmbedder(Embedder newEmbedder) {
    return new DemoSettings(host, port, adminToken, baseDir, database, timings, newEmbedder);
  }

  public DemoSettings withAdminToken(String token) {
    return new DemoSettings(host, port, token, baseDir, database, timings, embedder);
  }

  /** {@code <baseDir>/var/demo}: where the demo platform keeps its files. */
  public Path filesDir() {
    return baseDir.resolve("var/demo");
  }

  /** {@code <baseDir>/var/demo/models}: what {@code MODEL_STORE_DIR} must name. */
  public Path modelsDir() {
    return filesDir().resolve("models");
  }

  /** {@code <baseDir>/var/demo/datasets}: what {@code DATASET_STORE_DIR} must name. */
  public Path datasetsDir() {
    return filesDir().resolve("datasets");
  }

  private static String blankTo(String value, String fallback) {
    return value == null || value.isBlank() ? fallback : value.trim();
  }

  @Override
  public String toString() {
    return "DemoSettings[" + host + ":" + port + ", baseDir=" + baseDir + ", timings=" + timings + "]";
  }
}
