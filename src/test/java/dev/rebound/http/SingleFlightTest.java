package dev.rebound.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SingleFlightTest {
  private final List<Promise<Integer>> calls = new ArrayList<>();

  @Test
  void callers_share_the_call_in_flight_and_the_next_one_after_it_ends_starts_afresh() {
    SingleFlight<Integer> flight = new SingleFlight<>(() -> {
      Promise<Integer> call = Promise.promise();
      calls.add(call);
      return call.future();
    });

    SingleFlight.Shared<Integer> first = flight.get();
    SingleFlight.Shared<Integer> second = flight.get();
    assertThat(first.joined()).isFalse();
    assertThat(second.joined()).isTrue();
    assertThat(second.result()).isSameAs(first.result());
    assertThat(calls).hasSize(1);

    calls.get(0).complete(1);
    SingleFlight.Shared<Integer> after = flight.get();
    assertThat(after.joined()).as("no result is kept once its call ended").isFalse();
    assertThat(calls).hasSize(2);
  }

  @Test
  void a_call_that_completes_or_throws_at_once_is_not_shared_later() {
    int[] made = {0};
    SingleFlight<Integer> immediate = new SingleFlight<>(() -> Future.succeededFuture(++made[0]));
    assertThat(immediate.get().result().result()).isEqualTo(1);
    assertThat(immediate.get().result().result()).isEqualTo(2);

    SingleFlight<Integer> throwing = new SingleFlight<>(() -> {
      throw new IllegalStateException("no pool");
    });
    assertThat(throwing.get().result().cause()).hasMessage("no pool");
    assertThat(throwing.get().joined()).isFalse();
  }
}
