package dev.rebound.cli;

import dev.rebound.agent.AgentSettings;
import dev.rebound.app.Bootstrap;
import dev.rebound.app.RunbookStatus;
import dev.rebound.config.HttpSettings;
import dev.rebound.config.ReboundConfig;
import dev.rebound.demo.DemoPlatform;
import dev.rebound.engine.Engine;
import dev.rebound.engine.EngineSettings;
import dev.rebound.error.ReboundException;
import dev.rebound.error.UnavailableException;
import dev.rebound.inventory.TeamDirectory;
import dev.rebound.runbook.Durations;
import dev.rebound.runbook.Runbook;
import dev.rebound.runbook.RunbookCatalog;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.PrintWriter;
import java.net.BindException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rebound serve [--demo]}: the service, until SIGTERM or SIGINT. */
@Command(
    name = "serve",
    description = {
      "Run the service until SIGTERM/SIGINT.",
      "%nMigrates the database, loads runbooks and knowledge, and serves the HTTP API."
          + " Configuration problems print one line each (exit 1). Without --demo, tokens labelled"
          + " 'demo' are revoked at start, so demo tokens never outlive demo mode."
    })
final class ServeCommand extends CliCommand {
  private static final long START_TIMEOUT_S = 120;
  private static final long STATUS_TIMEOUT_S = 10;
  private static final long STOP_TIMEOUT_S = 15;

  @Option(
      names = "--demo",
      description = "Also start the demo production system (REBOUND_DEMO_PORT, default 8090) and create guessable"
          + " API tokens demo-<person> for everyone in team.yaml (their highest role), and print how to try"
          + " the API. Never use it where others can reach the server.")
  boolean demo;

  @Override
  int run(CliContext context) throws InterruptedException {
    ReboundConfig config = context.config();
    HttpSettings http = config.http();
    Duration grace = EngineSettings.shutdownGrace(context.environment().variables());
    Vertx vertx = Vertx.vertx();
    Bootstrap.Running running;
    CliContext serving = context;
    try {
      if (demo) {
        // Its tokens are replaced once it listens. Not revoked before: a second demo start that
        // fails (its ports taken by the demo already running) would lock people out of that one.
        DemoPlatform platform = DemoPlatformLauncher.start(vertx, context); // stopped when vertx closes
        // The runbooks act on this demo wherever it listens and keeps its files (REBOUND_DEMO_PORT,
        // REBOUND_DEMO_DIR), not on whatever answers at rebound.yaml's defaults (port 8090):
        // its URLs, stores and admin token, unless set explicitly; likewise the console's URL.
        Map<String, String> defaults = new LinkedHashMap<>(DemoPlatformLauncher.settingsFor(platform));
        if (http.port() != 0) {
          // Slack's links lead to this console, on the port it listens on, not rebound.yaml's 8080.
          defaults.put("REBOUND_CONSOLE_URL", url(http, http.port()));
        }
        serving = context.withDefaults(defaults);
      } else {
        // Before the server accepts any request: a demo token must not work in a normal start,
        // not even for the moment between listening and a clean-up afterwards.
        int revoked = DemoTokens.revokeBeforeStart(vertx, config.database());
        if (revoked > 0) {
          context.err().println("rebound: revoked " + Words.count(revoked, "demo token")
              + " left from an earlier --demo run");
        }
      }
      running = Bootstrap.start(vertx, serving.workspace(), dev.rebound.retrieval.EmbeddingSettings.from(
              serving.environment().variables(), serving.config().model()),
          dev.rebound.engine.EngineSettings.fromEnvironment(serving.environment().variables()),
          dev.rebound.agent.AgentSettings.fromEnvironment(serving.environment().variables(),
              serving.config().model(), dev.rebound.agent.AgentSettings.DEFAULT_PROMPTS_DIR))
          .await(START_TIMEOUT_S, TimeUnit.SECONDS);
    } catch (Exception e) {
      vertx.close();
      throw startFailure(http, e);
    }
    try {
      String url = url(http, running.port());
      announce(context, running, url);
      TeamDirectory team = running.services().knowledge().team();
      if (demo) {
        DemoTokens.create(running.database().pool(), team);
        DemoTokens.printTryIt(team, url, http.host(), context.out());
      }
    } catch (RuntimeException e) {
      close(running);
      throw e;
    }
    context.out().flush();
    Duration stopTakesAtMost = grace.plusSeconds(3 * STOP_TIMEOUT_S);
    context.environment().lifetime().runUntilStopped(stopTakesAtMost, () -> {
      context.err().println("rebound: stopping");
      context.err().flush();
      stopEngines(context.err(), running, grace);
      close(running);
      context.err().println("rebound: stopped");
      context.err().flush();
    });
    return OK;
  }

  /**
   * No step starts from now on; the steps executing get up to {@code grace} to end and record how
   * they ended, so a deploy or restart does not cut one in half. One still executing after that
   * is left under its lease, as a crash leaves it, for recovery after the restart: the pool closes
   * next, so the stop itself records nothing about it.
   */
  private static void stopEngines(PrintWriter err, Bootstrap.Running running, Duration grace) {
    List<String> drills = running.drills().service().runningNow();
    Future<Boolean> ended = running.stopEngines(grace);
    drills.forEach(id -> err.println("rebound: stopping: ending drill " + id
        + " as failed (its run aborted, the demo system reset)"));
    err.flush();
    List<Engine.Executing> executing = running.executing();
    if (executing.isEmpty()) {
      if (!drills.isEmpty()) {
        awaitQuietly(ended, grace);
      }
      return;
    }
    String waitingFor = executing.stream().map(Engine.Executing::toString).collect(Collectors.joining(", "));
    err.println("rebound: stopping: waiting up to " + Durations.format(grace) + " for "
        + Words.count(executing.size(), "executing step") + " (" + waitingFor + ")");
    err.flush();
    boolean allEnded = awaitQuietly(ended, grace);
    List<Engine.Executing> left = running.executing();
    if (!allEnded && !left.isEmpty()) {
      err.println("rebound: stopping: " + Words.count(left.size(), "step") + " still executing after "
          + Durations.format(grace) + ", left to lease recovery after the restart ("
          + left.stream().map(Engine.Executing::toString).collect(Collectors.joining(", ")) + ")");
      err.flush();
    }
  }

  /** Whether the engines (and the drill in progress) ended; false too when the wait ran out. */
  private static boolean awaitQuietly(Future<Boolean> ended, Duration grace) {
    try {
      // The engines' own timer ends the wait at the grace; this bound is only a safety net.
      return ended.await(grace.toMillis() + TimeUnit.SECONDS.toMillis(STOP_TIMEOUT_S), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      return false;
    }
  }

  private static void announce(CliContext context, Bootstrap.Running running, String url) {
    PrintWriter out = context.out();
    Bootstrap.Services services = running.services();
    RunbookCatalog catalog = services.runbooks().current();
    int assets = services.knowledge().assets().assets().size();
    out.println("Rebound listening on " + url + " (environment " + services.workspace().config().environment() + ")");
    out.println("loaded " + Words.count(catalog.runbooks().size(), "runbook") + " from "
        + context.names().of(context.runbooksDir()) + " and " + Words.count(assets, "asset") + " from "
        + context.names().of(context.knowledgeDir()));
    out.println(edges(services.workspace().config()));
    for (Runbook runbook : catalog.runbooks()) {
      String state;
      try {
        RunbookStatus status = services.statuses().of(runbook).await(STATUS_TIMEOUT_S, TimeUnit.SECONDS);
        state = status.describe();
      } catch (TimeoutException | RuntimeException e) {
        state = "approval state unknown (" + Db.describe(e) + ")";
      }
      out.println("  " + runbook.id() + " v" + runbook.version() + ": " + state);
    }
    services.workspace().config().unknownForcedRunbooks(catalog.ids())
        .forEach(w -> context.err().println("rebound: warning: " + w));
    if (!catalog.problems().isEmpty()) {
      context.err().println("rebound: some runbook files did not load and are not served (rebound lint shows all):");
      catalog.problems().forEach(p -> context.err().println(context.names().inText(p.toString())));
    }
  }

  /** Whether Slack and the LLM agent are on, and what turns them on: a start that forgot a variable says so. */
  static String edges(ReboundConfig config) {
    String slack = !config.slack().enabled() ? "slack off (set SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN to turn it on)"
        : "slack on" + config.slack().policy().consoleUrl().map(u -> " (its links lead to the console at " + u + ")")
            .orElse("");
    String agent = AgentSettings.defaults(config.model(), AgentSettings.DEFAULT_PROMPTS_DIR).endpoint()
        .map(e -> "agent: model " + e.modelName() + " at " + e.baseUrl())
        .orElse("agent in guided mode (no LLM: set REBOUND_OPENAI_BASE_URL and REBOUND_MODEL for one)");
    return slack + "; " + agent;
  }

  /** The problem people can act on: a taken port, the knowledge files, the database, a timeout. */
  private static ReboundException startFailure(HttpSettings http, Exception e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof BindException) {
        return new UnavailableException("cannot listen on " + http.host() + ":" + http.port()
            + ": address already in use (another server on that port? set REBOUND_HTTP_PORT)", e);
      }
    }
    if (e instanceof ReboundException r) {
      return r;
    }
    if (e instanceof TimeoutException) {
      return new UnavailableException("did not start within " + START_TIMEOUT_S + "s", e);
    }
    return new UnavailableException("cannot start: " + Db.describe(e), e);
  }

  private static String url(HttpSettings http, int port) {
    String host = http.host();
    if (host.equals("0.0.0.0") || host.equals("::")) {
      host = "localhost";
    } else if (host.contains(":")) {
      host = "[" + host + "]";
    }
    return "http://" + host + ":" + port;
  }

  /**
   * The audit log (its seals under way end instead of meeting a closed pool), the pool, then
   * Vert.x, each awaited from this (non-Vert.x) thread. Not {@code running.close()}: its future
   * completes on an event loop of the Vert.x instance it has just closed, so the completion is
   * rejected and an await on it only ends by timing out.
   */
  private static void close(Bootstrap.Running running) {
    try {
      running.services().audit().close().await(STOP_TIMEOUT_S, TimeUnit.SECONDS);
    } catch (Exception e) {
      // the database did not answer in time: what is still pending is sealed by the next seal
    }
    try {
      running.database().close().await(STOP_TIMEOUT_S, TimeUnit.SECONDS);
    } catch (Exception e) {
      // best effort: closing Vert.x below closes the pool's connections too
    }
    try {
      running.vertx().close().await(STOP_TIMEOUT_S, TimeUnit.SECONDS);
    } catch (Exception e) {
      // best effort: the process ends next
    }
  }
}
