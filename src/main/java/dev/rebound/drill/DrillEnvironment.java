package dev.rebound.drill;

import dev.rebound.engine.Engine;
import dev.rebound.engine.check.CheckRunner;
import dev.rebound.inventory.Asset;
import dev.rebound.runbook.Runbook;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * What a drill runs against: the engine (its drill runs), the demo system's control surface,
 * the standard check runners, runbooks and assets as loaded now, retrieval, the template
 * variables runbooks see, and the timing rules.
 *
 * @param notStartable why the engine would refuse to start the runbook (not approved, inactive), checked
 *     before the fault is injected so a drill that cannot recover does not break anything
 * @param detectTimeout how long the runbook's checks get to notice the fault
 * @param defaultMaxDuration a scenario's budget from injection to validated recovery, unless it says
 * @param poll how often run state and checks are polled
 */
public record DrillEnvironment(
    Engine engine,
    DemoControl demo,
    CheckRunner checks,
    Function<String, Optional<Runbook>> runbooks,
    Function<Runbook, Future<Optional<String>>> notStartable,
    Function<String, Optional<Asset>> assets,
    RunbookRetriever retriever,
    Map<String, String> env,
    Set<String> secretEnv,
    double waitScale,
    Duration detectTimeout,
    Duration defaultMaxDuration,
    Duration poll) {

  public static final Duration DEFAULT_DETECT_TIMEOUT = Duration.ofSeconds(90);
  public static final Duration DEFAULT_MAX_DURATION = Duration.ofMinutes(15);
  public static final Duration DEFAULT_POLL = Duration.ofMillis(250);
}
