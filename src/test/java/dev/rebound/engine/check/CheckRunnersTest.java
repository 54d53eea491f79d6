package dev.rebound.engine.check;

import static dev.rebound.engine.TestJson.check;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rebound.audit.Masker;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CheckRunnersTest {
  private final CheckContext ctx = CheckContext.withDefaultTimeout();

  @Test
  void a_runner_that_throws_yields_a_failed_masked_result_not_an_exception() {
    CheckRunner broken = (c, x) -> {
      throw new IllegalStateException("bug near pa55word-xyz");
    };
    CheckRunners runners = CheckRunners.of(Map.of("http", broken), Masker.of(List.of("pa55word-xyz")));

    CheckResult result = runners.run(check("{check: 'http', name: 'gateway up', url: 'http://x/health'}"), ctx);

    assertThat(result.passed()).isFalse();
    assertThat(result.name()).isEqualTo("gateway up");
    assertThat(result.message()).isEqualTo("check failed with an error: java.lang.IllegalStateException: bug near ***");
  }

  @Test
  void a_kind_without_a_runner_fails() {
    CheckResult result = CheckRunners.of(Map.of(), Masker.none())
        .run(check("{check: 'latency', url: 'http://x', p95_max: '1s'}"), ctx);

    assertThat(result.passed()).isFalse();
    assertThat(result.message()).isEqualTo("no runner for check kind 'latency'");
  }

  @Test
  void with_replaces_one_kind() {
    CheckRunner fake = (c, x) -> CheckResult.pass("http", "fake", "up", "up", "ok", 0);

    CheckResult result = CheckRunners.of(Map.of(), Masker.none()).with("http", fake)
        .run(check("{check: 'http', url: 'http://x'}"), ctx);

    assertThat(result.passed()).isTrue();
  }
}
