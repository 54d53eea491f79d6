package dev.rebound.engine;

import dev.rebound.runbook.Durations;
import dev.rebound.config.ConfigException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How an engine instance behaves; defaults suit production, tests shorten the times.
 *
 * @param ownerId this instance's name in leases and audit entries; unique per process
 * @param lease how long a claim holds a step or a run's work without renewal; renewed every
 *     third of it while the work goes on, so a crashed instance's work is taken over after at
 *     most this long
 * @param pollInterval how often the poller looks for approved steps, expired leases and owed
 *     work; {@link Duration#ZERO} turns the poller off (tests drive it with
 *     {@code Engine.pollOnce()})
 * @param approvalTtl how long a step approval stays valid ({@code REBOUND_APPROVAL_TTL})
 * @param dispatchOnApproval whether the instance that records the last needed approval starts
 *     the step at once (else only a poller does)
 * @param maxBackoff upper bound of a step's retry backoff (tests shorten runbook backoffs)
 * @param clock the time approvals are given, expire and are checked at (leases use the
 *     database's clock, which every instance shares)
 * @param workers threads for actions and checks (they block)
 */
public record EngineSettings(
    String ownerId,
    Duration lease,
    Duration pollInterval,
    Duration approvalTtl,
    boolean dispatchOnApproval,
    Duration maxBackoff,
    Clock clock,
    int workers) {

  public static final Duration DEFAULT_LEASE = Duration.ofSeconds(30);
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(500);
  public static final Duration DEFAULT_APPROVAL_TTL = Duration.ofMinutes(15);
  public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofMinutes(5);
  public static final int DEFAULT_WORKERS = 16;
  public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(30);

  public EngineSettings {
    Objects.requireNonNull(ownerId, "ownerId");
    Objects.requireNonNull(clock, "clock");
    requirePositive(lease, "lease");
    requirePositive(approvalTtl, "approvalTtl");
    Objects.requireNonNull(maxBackoff, "maxBackoff");
    Objects.requireNonNull(pollInterval, "pollInterval");
    if (pollInterval.isNegative()) {
      throw new IllegalArgumentException("pollInterval must not be negative");
    }
    if (workers < 1) {
      throw new IllegalArgumentException("workers must be at least 1");
    }
  }

  /** Production defaults with a fresh owner id. */
  public static EngineSettings defaults() {
    return new EngineSettings(newOwnerId(), DEFAULT_LEASE, DEFAULT_POLL_INTERVAL, DEFAULT_APPROVAL_TTL, true,
        DEFAULT_MAX_BACKOFF, Clock.systemUTC(), DEFAULT_WORKERS);
  }

  /**
   * Defaults overridden by {@code REBOUND_APPROVAL_TTL}, {@code REBOUND_ENGINE_LEASE} and
   * {@code REBOUND_ENGINE_POLL_INTERVAL} (durations such as {@code 15m}, {@code 500ms}).
   *
   * @throws ConfigException naming every bad value
   */
  public static EngineSettings fromEnvironment(Map<String, String> env) {
    List<String> problems = new ArrayList<>();
    EngineSettings s = defaults();
    Duration ttl = duration(env, "REBOUND_APPROVAL_TTL", problems).orElse(s.approvalTtl());
    Duration lease = duration(env, "REBOUND_ENGINE_LEASE", problems).orElse(s.lease());
    Duration poll = duration(env, "REBOUND_ENGINE_POLL_INTERVAL", problems).orElse(s.pollInterval());
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return s.withApprovalTtl(ttl).withLease(lease).withPollInterval(poll);
  }

  /**
   * How long a stopping service waits for the steps it executes to end: {@code
   * REBOUND_SHUTDOWN_GRACE}, default 30s; {@code 0s} waits for
   * none (they are left to lease recovery, as after a crash).
   *
   * @throws ConfigException naming a bad value
   */
  public static Duration shutdownGrace(Map<String, String> env) {
    List<String> problems = new ArrayList<>();
    Optional<Duration> grace = duration(env, "REBOUND_SHUTDOWN_GRACE", true, problems);
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return grace.orElse(DEFAULT_SHUTDOWN_GRACE);
  }

  public EngineSettings withOwnerId(String id) {
    return new EngineSettings(id, lease, pollInterval, approvalTtl, dispatchOnApproval, maxBackoff, clock, workers);
  }

  public EngineSettings withLease(Duration d) {
    return new EngineSettings(ownerId, d, pollInterval, approvalTtl, dispatchOnApproval, maxBackoff, clock, workers);
  }

  public EngineSettings withPollInterval(Duration d) {
    return new EngineSettings(ownerId, lease, d, approvalTtl, dispatchOnApproval, maxBackoff, clock, workers);
  }

  public EngineSettings withApprovalTtl(Duration d) {
    return new EngineSettings(ownerId, lease, pollInterval, d, dispatchOnApproval, maxBackoff, clock, workers);
  }

  public EngineSettings withDispatchOnApproval(boolean on) {
    return new EngineSettings(ownerId, lease, pollInterval, approvalTtl, on, maxBackoff, clock, workers);
  }

  public EngineSettings withMaxBackoff(Duration d) {
    return new EngineSettings(ownerId, lease, pollInterval, approvalTtl, dispatchOnApproval, d, clock, workers);
  }

  public EngineSettings withClock(Clock c) {
    return new EngineSettings(ownerId, lease, pollInterval, approvalTtl, dispatchOnApproval, maxBackoff, c, workers);
  }

  public EngineSettings withWorkers(int n) {
    return new EngineSettings(ownerId, lease, pollInterval, approvalTtl, dispatchOnApproval, maxBackoff, clock, n);
  }

  /** {@code engine-<12 hex>}: random, so two processes (or two engines in a test) never share one. */
  public static String newOwnerId() {
    byte[] bytes = new byte[6];
    new SecureRandom().nextBytes(bytes);
    return "engine-" + HexFormat.of().formatHex(bytes);
  }

  private static Optional<Duration> duration(Map<String, String> env, String name, List<String> problems) {
    return duration(env, name, false, problems);
  }

  private static Optional<Duration> duration(Map<String, String> env, String name, boolean zeroAllowed,
      List<String> problems) {
    String text = env.get(name);
    if (text == null || text.isBlank()) {
      return Optional.empty();
    }
    try {
      Duration d = Durations.parse(text.trim());
      if (d.isNegative() || (d.isZero() && !zeroAllowed)) {
        problems.add(name + ": must be a " + (zeroAllowed ? "" : "positive ") + "duration, got \"" + text + "\"");
        return Optional.empty();
      }
      return Optional.of(d);
    } catch (RuntimeException e) {
      problems.add(name + ": not a duration like 15m or 500ms: \"" + text + "\"");
      return Optional.empty();
    }
  }

  private static void requirePositive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException(name + " must be positive");
    }
  }
}
