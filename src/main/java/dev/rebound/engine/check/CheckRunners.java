package dev.rebound.engine.check;

import dev.rebound.audit.Masker;
import dev.rebound.config.ReboundConfig;
import dev.rebound.engine.target.Datasources;
import dev.rebound.engine.target.HttpTarget;
import dev.rebound.inventory.Asset;
import dev.rebound.runbook.Check;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The check runners by kind, itself a {@link CheckRunner} that dispatches on {@link Check#kind()}
 * and is the one place results are masked. A runner that throws (a bug) yields a failed result
 * naming the error, never an exception to the caller and never a pass.
 */
public final class CheckRunners implements CheckRunner {
  private final Map<String, CheckRunner> byKind;
  private final Masker masker;

  private CheckRunners(Map<String, CheckRunner> byKind, Masker masker) {
    this.byKind = Collections.unmodifiableMap(new LinkedHashMap<>(byKind));
    this.masker = Objects.requireNonNull(masker, "masker");
  }

  /**
   * All six runners from {@code config} (datasources, secrets to mask).
   *
   * @param workingDir what relative paths and {@code file:} URIs resolve against
   *     ({@code config.artifactBase()}: Rebound's working directory unless set otherwise)
   * @param assets the current asset inventory by id (for {@code sha256} with {@code asset}); read
   *     at each check, so a reloaded inventory is seen
   */
  public static CheckRunners standard(ReboundConfig config, Path workingDir, Function<String, Optional<Asset>> assets) {
    return standard(Datasources.from(config), new HttpTarget(), workingDir, assets, Masker.of(config.secretValues()));
  }

  public static CheckRunners standard(
      Datasources datasources, HttpTarget http, Path workingDir, Function<String, Optional<Asset>> assets, Masker masker) {
    long body = HttpTarget.DEFAULT_BODY_LIMIT;
    return new CheckRunners(Map.of(
        "http", new HttpCheckRunner(http, body),
        "sql", new SqlCheckRunner(datasources),
        "sha256", new Sha256CheckRunner(http, workingDir, assets, Sha256CheckRunner.DEFAULT_SIZE_LIMIT),
        "freshness", new FreshnessCheckRunner(datasources),
        "drift", new DriftCheckRunner(datasources),
        "latency", new LatencyCheckRunner(http, body)), masker);
  }

  public static CheckRunners of(Map<String, CheckRunner> byKind, Masker masker) {
    return new CheckRunners(byKind, masker);
  }

  /** A copy with {@code kind} handled by {@code runner}. */
  public CheckRunners with(String kind, CheckRunner runner) {
    Map<String, CheckRunner> copy = new LinkedHashMap<>(byKind);
    copy.put(kind, runner);
    return new CheckRunners(copy, masker);
  }

  @Override
  public CheckResult run(Check rendered, CheckContext ctx) {
    String name = rendered.name().orElse(rendered.kind() + " check");
    CheckRunner runner = byKind.get(rendered.kind());
    if (runner == null) {
      return CheckResult.fail(rendered.kind(), name, "", "", "no runner for check kind '" + rendered.kind() + "'", 0)
          .masked(masker);
    }
    long start = System.nanoTime();
    CheckResult result;
    try {
      result = runner.run(rendered, ctx);
    } catch (RuntimeException e) {
      result = CheckResult.fail(rendered.kind(), name, "", "", "check failed with an error: " + e, Texts.millis(start));
    }
    return result.masked(masker);
  }
}
