package dev.rebound.retrieval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class NativeCallsTest {
  @Test
  void the_exit_waits_for_a_call_in_progress() throws Exception {
    NativeCalls calls = new NativeCalls();
    CountDownLatch inside = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean finished = new AtomicBoolean();
    CompletableFuture<String> running = CompletableFuture.supplyAsync(() -> calls.call(() -> {
      inside.countDown();
      await(release);
      finished.set(true);
      return "done";
    }));
    assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();

    CompletableFuture<Boolean> drained = CompletableFuture.supplyAsync(() -> calls.drain(Duration.ofSeconds(10)));
    Thread.sleep(200);
    assertThat(drained).as("still waiting for the call").isNotDone();
    release.countDown();

    assertThat(drained.get(10, TimeUnit.SECONDS)).isTrue();
    assertThat(finished).isTrue();
    assertThat(running.get(10, TimeUnit.SECONDS)).isEqualTo("done");
  }

  @Test
  void after_the_exit_began_no_call_starts() {
    NativeCalls calls = new NativeCalls();
    assertThat(calls.drain(Duration.ofSeconds(1))).isTrue();
    AtomicBoolean ran = new AtomicBoolean();

    assertThatThrownBy(() -> calls.call(() -> ran.getAndSet(true))).hasMessageContaining("exiting");
    assertThat(ran).isFalse();
  }

  @Test
  void the_exit_gives_up_after_its_wait() throws Exception {
    NativeCalls calls = new NativeCalls();
    CountDownLatch inside = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture.runAsync(() -> calls.call(() -> {
      inside.countDown();
      await(release);
      return null;
    }));
    assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();

    assertThat(calls.drain(Duration.ofMillis(100))).isFalse();
    release.countDown();
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
