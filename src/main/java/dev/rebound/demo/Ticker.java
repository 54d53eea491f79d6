package dev.rebound.demo;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo's background loops (ingestion, event generator, heartbeats, synthetic traffic…). A
 * loop never overlaps itself: a tick that is still running when the next is due makes that one
 * skip. {@link #pause()} stops new ticks and completes once the running ones have finished, so a
 * reset never races a loop writing into the schema it drops. Event-loop only (the verticle's
 * context), like everything it runs.
 */
final class Ticker {
  private static final Logger LOG = LoggerFactory.getLogger(Ticker.class);

  private final Vertx vertx;
  private final List<Loop> loops = new ArrayList<>();
  private boolean paused = true;

  Ticker(Vertx vertx) {
    this.vertx = vertx;
  }

  private final class Loop {
    final String name;
    final Supplier<Future<?>> work;
    long timerId = -1;
    Future<?> running = Future.succeededFuture();
    boolean busy;
    int failures;

    Loop(String name, Supplier<Future<?>> work) {
      this.name = name;
      this.work = work;
    }

    void tick() {
      if (paused || busy) {
        return;
      }
      busy = true;
      Future<?> run;
      try {
        run = work.get();
      } catch (RuntimeException e) {
        run = Future.failedFuture(e);
      }
      running = run.andThen(done -> {
        busy = false;
        if (done.failed()) {
          // Logged sparingly: a loop failing every 25 ms would drown the log.
          if (failures++ % 100 == 0) {
            LOG.warn("demo loop {} failed: {}", name, String.valueOf(done.cause()));
          }
        } else {
          failures = 0;
        }
      });
    }
  }

  /** Adds a loop; it runs once the ticker is {@link #resume() resumed}. */
  void every(Duration period, String name, Supplier<Future<?>> work) {
    Loop loop = new Loop(name, work);
    loop.timerId = vertx.setPeriodic(Math.max(1, period.toMillis()), id -> loop.tick());
    loops.add(loop);
  }

  /** No new ticks; completes when every tick in flight has finished (successfully or not). */
  Future<Void> pause() {
    paused = true;
    List<Future<?>> inFlight = new ArrayList<>();
    loops.forEach(l -> inFlight.add(l.running.recover(e -> Future.succeededFuture())));
    Promise<Void> done = Promise.promise();
    Future.join(inFlight).onComplete(x -> done.complete());
    return done.future();
  }

  void resume() {
    paused = false;
  }

  /** Cancels every loop for good (verticle stop). */
  Future<Void> stop() {
    Future<Void> idle = pause();
    loops.forEach(l -> vertx.cancelTimer(l.timerId));
    return idle;
  }
}
