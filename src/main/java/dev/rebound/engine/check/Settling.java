package dev.rebound.engine.check;

import dev.rebound.config.SettleSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.IntPredicate;

/**
 * Lets a system settle before its checks are judged: a service answers slowly for a moment after
 * a rollback or a model load, so a check that fails right after a change is re-run until it
 * passes or a window closes. The engine uses it for a run's final validation and the invariants
 * after a rollback, drills for their recovery verdict.
 *
 * <p>Order: a full pass over every check; then only the checks that failed are re-run, every
 * {@code interval}, until each has passed once (checks observe what they judge: a latency probe
 * sends queries a drift check then counts, so re-running every check would skew the others);
 * then a full pass again, which must pass as a whole. A {@link Duration#ZERO} window means one
 * full pass, judged at once. Blocking: call it on a worker thread.
 */
public final class Settling {
  private Settling() {}

  /** A check's result and the check's position in the list. */
  public record Indexed(int index, CheckResult result) {}

  /** Runs the checks whose position {@code selected} accepts, in order. Blocking. */
  @FunctionalInterface
  public interface Pass {
    List<Indexed> run(IntPredicate selected);
  }

  /**
   * Told about each pass that is followed by another: {@code results} are that pass's,
   * {@code failing} the positions still to re-run. Returning false stops settling (the caller lost
   * its claim on the work, say); the outcome then says {@link Outcome#stopped()}.
   */
  @FunctionalInterface
  public interface Observer {
    boolean retrying(int attempt, List<Indexed> results, Set<Integer> failing, Duration retryIn);
  }

  /** How to wait between passes (tests and drills pass their own). */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(Duration d) throws InterruptedException;
  }

  /**
   * How settling ended.
   *
   * @param passed every check passed in the last full pass
   * @param stopped the observer stopped it: nothing is decided
   * @param attempt the number of the last pass (0 for the first full pass)
   * @param last the last pass's results (a re-run covers only the checks that still failed)
   * @param latest every check's newest result, by position
   */
  public record Outcome(boolean passed, boolean stopped, int attempt, List<Indexed> last, List<Indexed> latest) {
    /** The newest result of the first check still failing. */
    public java.util.Optional<CheckResult> firstFailing() {
      return latest.stream().map(Indexed::result).filter(r -> !r.passed()).findFirst();
    }
  }

  /** The window and interval of {@code settings}, on the system clock, sleeping the thread. */
  public static Outcome settle(Pass pass, SettleSettings settings, Observer observer) {
    return settle(pass, settings.window(), settings.interval(), observer, d -> Thread.sleep(d.toMillis()),
        Clock.systemUTC());
  }

  /**
   * Runs the passes until every check passes in one full pass, or the window (from now) closes.
   *
   * @throws IllegalStateException when interrupted while waiting (the interrupt flag is kept)
   */
  public static Outcome settle(Pass pass, Duration window, Duration interval, Observer observer, Sleeper sleeper,
      Clock clock) {
    Instant deadline = clock.instant().plus(window);
    TreeMap<Integer, Indexed> latest = new TreeMap<>();
    int attempt = 0;
    while (true) {
      List<Indexed> full = pass.run(i -> true);
      full.forEach(r -> latest.put(r.index(), r));
      Set<Integer> failing = failing(full);
      if (failing.isEmpty()) {
        return new Outcome(true, false, attempt, full, values(latest));
      }
      List<Indexed> last = full;
      while (!failing.isEmpty()) {
        Duration left = Duration.between(clock.instant(), deadline);
        if (left.isNegative() || left.isZero()) {
          return new Outcome(false, false, attempt, last, values(latest));
        }
        Duration wait = interval.compareTo(left) < 0 ? interval : left;
        if (!observer.retrying(attempt, last, Collections.unmodifiableSet(new TreeSet<>(failing)), wait)) {
          return new Outcome(false, true, attempt, last, values(latest));
        }
        pause(sleeper, wait);
        attempt++;
        Set<Integer> selected = Set.copyOf(failing);
        last = pass.run(selected::contains);
        last.forEach(r -> latest.put(r.index(), r));
        last.stream().filter(r -> r.result().passed()).forEach(r -> failing.remove(r.index()));
      }
      // Each failing check passed once: the next full pass decides. It counts as an attempt, and
      // the observer hears of the re-run that led to it.
      if (!observer.retrying(attempt, last, Set.of(), Duration.ZERO)) {
        return new Outcome(false, true, attempt, last, values(latest));
      }
      attempt++;
    }
  }

  private static Set<Integer> failing(List<Indexed> results) {
    Set<Integer> out = new TreeSet<>();
    results.stream().filter(r -> !r.result().passed()).forEach(r -> out.add(r.index()));
    return out;
  }

  private static List<Indexed> values(TreeMap<Integer, Indexed> byIndex) {
    return List.copyOf(new ArrayList<>(byIndex.values()));
  }

  private static void pause(Sleeper sleeper, Duration d) {
    try {
      sleeper.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for checks to settle", e);
    }
  }
}
