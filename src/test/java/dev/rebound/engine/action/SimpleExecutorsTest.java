package dev.rebound.engine.action;

import static dev.rebound.engine.TestJson.action;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.rebound.audit.Masker;
import dev.rebound.config.ReboundConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Manual, wait and the registry: the executors without a target. */
class SimpleExecutorsTest {
  private final ActionContext ctx = ActionContext.of("run-1", "contain", 1, "run-1/contain", Duration.ofSeconds(2));

  @Test
  void manual_records_who_confirmed_it_and_their_note() {
    ManualActionExecutor manual = new ManualActionExecutor(Masker.none());

    ActionOutcome outcome = manual.execute(action("{type: 'manual', instructions: 'disable the writer'}"),
        ctx.confirmedBy("alice", "paused the dataset-build schedule"));

    assertThat(outcome.output().get("confirmed_by").textValue()).isEqualTo("alice");
    assertThat(outcome.output().get("note").textValue()).isEqualTo("paused the dataset-build schedule");
    assertThat(outcome.summary()).isEqualTo("confirmed by alice: paused the dataset-build schedule");
  }

  @Test
  void manual_without_a_confirmation_is_refused() {
    ManualActionExecutor manual = new ManualActionExecutor(Masker.none());

    ActionFailedException e = catchThrowableOfType(ActionFailedException.class,
        () -> manual.execute(action("{type: 'manual', instructions: 'x'}"), ctx));
    ActionFailedException blank = catchThrowableOfType(ActionFailedException.class,
        () -> manual.execute(action("{type: 'manual', instructions: 'x'}"), ctx.confirmedBy("  ", null)));

    assertThat(e.getMessage()).contains("has no confirmation");
    assertThat(e.retryable()).isFalse();
    assertThat(blank).isNotNull();
  }

  @Test
  void wait_sleeps_for_its_duration_and_has_no_output() {
    WaitActionExecutor wait = new WaitActionExecutor();

    ActionOutcome outcome = wait.execute(action("{type: 'wait', duration: '150ms'}"), ctx);

    assertThat(outcome.duration()).isGreaterThanOrEqualTo(Duration.ofMillis(150));
    assertThat(outcome.output().isEmpty()).isTrue();
    assertThat(outcome.summary()).isEqualTo("waited 150ms");
  }

  @Test
  void a_wait_longer_than_the_timeout_fails_at_once_instead_of_being_cut_short() {
    long start = System.nanoTime();

    ActionFailedException e = catchThrowableOfType(ActionFailedException.class,
        () -> new WaitActionExecutor().execute(action("{type: 'wait', duration: '5m'}"), ctx));

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(200));
    assertThat(e.getMessage()).isEqualTo("wait 5m is longer than the step timeout 2s; raise the step's timeout");
    assertThat(e.retryable()).isFalse();
  }

  @Test
  void wait_is_interruptible() throws Exception {
    Thread caller = Thread.currentThread();
    Thread interrupter = new Thread(() -> {
      try {
        Thread.sleep(100);
      } catch (InterruptedException ignored) {
        return;
      }
      caller.interrupt();
    });
    interrupter.start();

    ActionFailedException e = catchThrowableOfType(ActionFailedException.class,
        () -> new WaitActionExecutor().execute(action("{type: 'wait', duration: '2s'}"), ctx));

    assertThat(Thread.interrupted()).as("the interrupt flag is kept").isTrue();
    assertThat(e.getMessage()).contains("interrupted");
    assertThat(e.retryable()).isTrue();
    interrupter.join();
  }

  @Test
  void the_registry_dispatches_by_type_and_turns_an_executor_bug_into_a_masked_unknown_outcome() {
    ActionExecutor broken = (a, c) -> {
      throw new IllegalStateException("boom with secret-pass");
    };
    ActionExecutors executors = ActionExecutors.of(Map.of("wait", new WaitActionExecutor()),
        Masker.of(List.of("secret-pass"))).with("manual", broken);

    assertThat(executors.execute(action("{type: 'wait', duration: '1ms'}"), ctx).summary()).isEqualTo("waited 1ms");
    ActionFailedException bug = catchThrowableOfType(ActionFailedException.class,
        () -> executors.execute(action("{type: 'manual', instructions: 'x'}"), ctx));
    assertThat(bug.getMessage()).contains("boom with ***").doesNotContain("secret-pass").contains("outcome unknown");
    assertThat(bug.outcomeUnknown()).isTrue();
    assertThat(bug.retryable()).isFalse();
    assertThat(catchThrowableOfType(ActionFailedException.class,
        () -> executors.execute(action("{type: 'http', url: 'http://x'}"), ctx)).getMessage())
        .isEqualTo("no executor for action type 'http'");
  }

  @Test
  void the_standard_executors_mask_every_secret_of_the_configuration() {
    ReboundConfig config = ReboundConfig.from(Map.of(
        "REBOUND_ADMIN_TOKEN", "admin-token-0123456789",
        "DATABASE_URL", "postgresql://rebound:db-pass-xyz@localhost:5432/rebound"));
    ActionExecutors executors = ActionExecutors.standard(config, Path.of("runbooks/scripts"), Path.of("."));

    ActionOutcome outcome = executors.execute(action("{type: 'manual', instructions: 'rotate'}"),
        ctx.confirmedBy("alice", "used admin-token-0123456789 and db-pass-xyz"));

    assertThat(outcome.output().get("note").textValue()).isEqualTo("used *** and ***");
    assertThat(outcome.summary()).isEqualTo("confirmed by alice: used *** and ***");
  }

  @Test
  void the_context_refuses_nonsense() {
    assertThatThrownBy(() -> ActionContext.of("r", "s", 0, "k", Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ActionContext.of("r", "s", 1, " ", Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ActionContext.of("r", "s", 1, "k", Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
