package dev.rebound.engine.target;

import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Fails the body with {@link HttpTimeoutException} (and cancels it) when it is not complete
 * within {@code remaining}; otherwise passes everything through to {@code inner}. The timer is
 * the JDK's shared delayer, cancelled when the body completes: no thread per call.
 */
final class DeadlineBody<T> implements BodySubscriber<T> {
  private final BodySubscriber<T> inner;
  private final CompletableFuture<T> result = new CompletableFuture<>();
  private volatile Flow.Subscription subscription;

  DeadlineBody(BodySubscriber<T> inner, Duration remaining) {
    this.inner = inner;
    CompletableFuture<T> timed = new CompletableFuture<>();
    inner.getBody().whenComplete((value, error) -> {
      if (error != null) {
        timed.completeExceptionally(error);
      } else {
        timed.complete(value);
      }
    });
    timed.orTimeout(remaining.toNanos(), TimeUnit.NANOSECONDS).whenComplete((value, error) -> {
      if (error instanceof TimeoutException) {
        Flow.Subscription s = subscription;
        if (s != null) {
          s.cancel();
        }
        result.completeExceptionally(new HttpTimeoutException("the body did not arrive in time"));
      } else if (error != null) {
        result.completeExceptionally(error);
      } else {
        result.complete(value);
      }
    });
  }

  @Override
  public CompletionStage<T> getBody() {
    return result;
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    subscription = s;
    inner.onSubscribe(s);
  }

  @Override
  public void onNext(List<ByteBuffer> items) {
    inner.onNext(items);
  }

  @Override
  public void onError(Throwable t) {
    inner.onError(t);
  }

  @Override
  public void onComplete() {
    inner.onComplete();
  }
}
