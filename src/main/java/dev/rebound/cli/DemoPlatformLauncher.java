package dev.rebound.cli;

import dev.rebound.demo.DemoPlatform;
import dev.rebound.demo.DemoSettings;
import dev.rebound.error.UnavailableException;
import io.vertx.core.Vertx;
import java.net.BindException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code serve --demo}'s demo production system: deployed on Rebound's Vert.x before Rebound's own
 * server (so the runbooks' targets exist when the service starts), undeployed when that Vert.x
 * closes. Settings from the environment (see {@link DemoSettings#fromEnvironment}).
 */
final class DemoPlatformLauncher {
  private static final long START_TIMEOUT_S = 120;

  private DemoPlatformLauncher() {}

  /**
   * The variables that point Rebound at {@code platform}: the runbooks' {@code template_env}
   * (URLs, stores, admin token), the drills' {@code REBOUND_DEMO_URL}, and
   * {@code REBOUND_ARTIFACT_BASE_DIR}: the relative artifact paths of knowledge/assets.yaml and of
   * the demo's registry name its files under {@code REBOUND_DEMO_DIR}, not under Rebound's
   * working directory.
   */
  static Map<String, String> settingsFor(DemoPlatform platform) {
    Map<String, String> variables = new LinkedHashMap<>(platform.templateEnv());
    variables.put("REBOUND_DEMO_URL", platform.url());
    variables.put("REBOUND_ARTIFACT_BASE_DIR", platform.settings().baseDir().toString());
    return variables;
  }

  static DemoPlatform start(Vertx vertx, CliContext context) {
    return start(vertx, context, context.out());
  }

  /** As above, announcing where it listens on {@code announce} (stderr when stdout carries JSON). */
  static DemoPlatform start(Vertx vertx, CliContext context, java.io.PrintWriter announce) {
    DemoSettings settings;
    try {
      settings = DemoSettings.fromEnvironment(context.environment().variables(), context.config(),
          context.environment().workingDir());
    } catch (IllegalArgumentException e) {
      throw new UnavailableException("cannot start the demo platform: " + e.getMessage(), null);
    }
    DemoPlatform platform;
    try {
      platform = DemoPlatform.deploy(vertx, settings).await(START_TIMEOUT_S, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new UnavailableException("the demo platform did not start within " + START_TIMEOUT_S + "s", null);
    } catch (Exception e) {
      // Exception, not RuntimeException: await rethrows the deploy's own failure, a checked
      // BindException included, which would otherwise reach serve and be reported as Rebound's
      // own port. No cause attached, for the same reason.
      for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
        if (t instanceof BindException) {
          throw new UnavailableException("cannot start the demo platform on " + settings.host() + ":" + settings.port()
              + ": address already in use (set REBOUND_DEMO_PORT)", null);
        }
      }
      throw new UnavailableException("cannot start the demo platform: " + Db.describe(e), null);
    }
    announce.println("Demo platform listening on " + platform.url() + " (files under "
        + context.names().of(settings.filesDir()) + ")");
    return platform;
  }
}
