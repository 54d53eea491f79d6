package dev.rebound.engine.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;

/** The settle loop with scripted checks, a clock that moves only when it sleeps, and no real waiting. */
class SettlingTest {
  private Instant now = Instant.parse("2026-01-01T00:00:00Z");
  private final List<String> calls = new ArrayList<>();
  private final List<Integer> observed = new ArrayList<>();

  private final Clock clock = new Clock() {
    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  };

  /** Check {@code i} passes from its {@code passFrom[i]}-th run on (0 = always). */
  private Settling.Pass checks(int... passFrom) {
    int[] runs = new int[passFrom.length];
    return (IntPredicate selected) -> {
      List<Settling.Indexed> out = new ArrayList<>();
      for (int i = 0; i < passFrom.length; i++) {
        if (selected.test(i)) {
          calls.add("c" + i);
          boolean passed = runs[i]++ >= passFrom[i];
          out.add(new Settling.Indexed(i, new CheckResult("http", "c" + i, passed, "", "", passed ? "ok" : "no", 1)));
        }
      }
      return out;
    };
  }

  private Settling.Outcome settle(Settling.Pass pass, Duration window) {
    return Settling.settle(pass, window, Duration.ofSeconds(2), (attempt, results, failing, retryIn) -> {
      observed.add(attempt);
      return true;
    }, d -> now = now.plus(d), clock);
  }

  @Test
  void checks_that_pass_at_once_are_run_once() {
    Settling.Outcome o = settle(checks(0, 0), Duration.ofSeconds(30));
    assertThat(o.passed()).isTrue();
    assertThat(o.attempt()).isZero();
    assertThat(calls).containsExactly("c0", "c1");
    assertThat(observed).isEmpty();
  }

  @Test
  void only_the_failing_check_is_rerun_then_one_full_pass_confirms() {
    Settling.Outcome o = settle(checks(0, 2), Duration.ofSeconds(30));
    assertThat(o.passed()).isTrue();
    assertThat(calls).containsExactly("c0", "c1", "c1", "c1", "c0", "c1");
    assertThat(observed).containsExactly(0, 1, 2);
    assertThat(o.attempt()).isEqualTo(3);
    assertThat(o.last()).hasSize(2);
  }

  @Test
  void a_check_still_failing_when_the_window_closes_fails_with_its_newest_result() {
    Settling.Outcome o = settle(checks(0, 100), Duration.ofSeconds(5));
    assertThat(o.passed()).isFalse();
    assertThat(o.stopped()).isFalse();
    assertThat(o.firstFailing().orElseThrow().name()).isEqualTo("c1");
    // 0 s, 2 s, 4 s, then the last 1 s of the window: four runs of c1, c0 once.
    assertThat(calls).containsExactly("c0", "c1", "c1", "c1", "c1");
    assertThat(o.latest()).extracting(Settling.Indexed::index).containsExactly(0, 1);
  }

  @Test
  void a_zero_window_judges_the_first_result() {
    Settling.Outcome o = settle(checks(1), Duration.ZERO);
    assertThat(o.passed()).isFalse();
    assertThat(calls).containsExactly("c0");
    assertThat(observed).isEmpty();
  }

  @Test
  void an_observer_that_lost_the_work_stops_it_undecided() {
    Settling.Outcome o = Settling.settle(checks(5), Duration.ofSeconds(30), Duration.ofSeconds(2),
        (attempt, results, failing, retryIn) -> false, d -> now = now.plus(d), clock);
    assertThat(o.stopped()).isTrue();
    assertThat(calls).containsExactly("c0");
  }
}
