package dev.rebound.demo;

import java.time.Duration;
import java.util.Objects;

/**
 * Periods of the demo's background loops. {@link #standard()} is the documented behaviour (ingest
 * every 2 s, heartbeats every 5 s, integrity every 30 s…). {@link #fast()} keeps every rule and
 * only turns the clock up (more events, more synthetic traffic, quicker heartbeats and integrity
 * passes), so tests and quick drills see symptoms and recoveries within seconds.
 *
 * @param eventsPerTick raw events the generator writes per {@code generator} tick
 */
public record DemoTimings(
    Duration ingest,
    Duration generator,
    int eventsPerTick,
    Duration heartbeat,
    Duration integrity,
    Duration gatewayPoll,
    Duration gatewayTraffic,
    Duration ragTraffic,
    Duration snapshots,
    Duration scheduler,
    Duration retention) {

  public DemoTimings {
    for (Duration d : new Duration[] {ingest, generator, heartbeat, integrity, gatewayPoll, gatewayTraffic, ragTraffic,
        snapshots, scheduler, retention}) {
      Objects.requireNonNull(d, "period");
      if (d.toMillis() < 1) {
        throw new IllegalArgumentException("periods must be at least 1 ms, got " + d);
      }
    }
    if (eventsPerTick < 1) {
      throw new IllegalArgumentException("eventsPerTick must be at least 1");
    }
  }

  /** The contract's periods. */
  public static DemoTimings standard() {
    return new DemoTimings(Duration.ofSeconds(2), Duration.ofSeconds(1), 1, Duration.ofSeconds(5),
        Duration.ofSeconds(30), Duration.ofSeconds(2), Duration.ofMillis(200), Duration.ofMillis(500),
        Duration.ofMinutes(15), Duration.ofMinutes(1), Duration.ofHours(1));
  }

  /** Everything that happens "every few seconds" happens several times a second. */
  public static DemoTimings fast() {
    return new DemoTimings(Duration.ofMillis(200), Duration.ofMillis(100), 2, Duration.ofMillis(500),
        Duration.ofMillis(300), Duration.ofMillis(200), Duration.ofMillis(50), Duration.ofMillis(25),
        Duration.ofMinutes(15), Duration.ofMinutes(1), Duration.ofHours(1));
  }
}
