package dev.rebound.engine;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A transaction on one pooled connection whose statements are pipelined: sent without waiting
 * for the previous one's answer, so a transaction costs a few round trips instead of one per
 * statement. Vert.x's {@code Transaction} sends one statement at a time; here {@code BEGIN} and
 * {@code COMMIT} are plain statements on the connection, which keeps them in order.
 *
 * <p>Why this is as safe as {@code pool.withTransaction}:
 * <ul>
 *   <li>A write is sent only after {@code BEGIN} succeeded, so no write can ever run in
 *       autocommit. Reads may go out right behind {@code BEGIN} (they run in the transaction, as
 *       PostgreSQL answers in order), until the first write waits: from then on everything
 *       queues behind it, so statements reach PostgreSQL in the order the caller issued them.
 *   <li>The result is success only when every statement tracked (and every check made on its
 *       answer) succeeded and COMMIT succeeded. After a failed statement PostgreSQL aborts the
 *       transaction and answers a later COMMIT with a rollback, so a COMMIT sent right behind the
 *       statements never commits a partial transaction; the first failure in issue order is
 *       the result. A failure of the body itself rolls back before anything is committed.
 * </ul>
 * The audit append ({@code dev.rebound.audit.AuditLog#appendChained}) is the last statement before
 * COMMIT, in the same flight: if it takes the chain's head, the head stays locked only until that
 * COMMIT is answered.
 * Callbacks run on the connection's context; the class is not meant to be shared across threads
 * (its state is still guarded, in case a caller hops).
 */
final class PipelinedTx {
  private final SqlConnection conn;
  private final Future<Void> begun;
  private final List<Future<?>> issued = new ArrayList<>();
  private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
  private boolean writeWaiting;

  private record Waiting(Runnable send, Promise<?> promise) {}

  private PipelinedTx(SqlConnection conn) {
    this.conn = conn;
    this.begun = conn.query("BEGIN").execute().mapEmpty();
    begun.onComplete(r -> drain());
  }

  /**
   * Runs {@code body} in a transaction; {@code beforeCommit} (the audit append) is issued after
   * it with COMMIT right behind, in the same flight, so ending a transition costs no extra round
   * trip.
   * If anything issued failed, PostgreSQL has aborted the transaction and answers that COMMIT
   * with a rollback: the result is then the first failure, and nothing was committed.
   */
  static <T> Future<T> run(Pool pool, Function<PipelinedTx, Future<T>> body,
      Function<PipelinedTx, Future<?>> beforeCommit) {
    return pool.getConnection().compose(conn -> {
      PipelinedTx tx = new PipelinedTx(conn);
      Future<T> result;
      try {
        result = body.apply(tx);
      } catch (RuntimeException e) {
        result = Future.failedFuture(e);
      }
      return result.transform(outcome -> {
        if (outcome.failed()) {
          return tx.settled().compose(firstFailure -> conn.query("ROLLBACK").execute()
              .transform(r -> Future.<T>failedFuture(firstFailure != null ? firstFailure : outcome.cause())));
        }
        beforeCommit.apply(tx);
        Future<Void> commit = tx.write(() -> conn.query("COMMIT").execute()).mapEmpty();
        return tx.settled().compose(firstFailure -> commit.transform(committed -> {
          if (firstFailure != null) {
            return Future.<T>failedFuture(firstFailure);
          }
          return committed.succeeded() ? Future.succeededFuture(outcome.result())
              : Future.<T>failedFuture(committed.cause());
        }));
      }).eventually(conn::close);
    });
  }

  SqlConnection connection() {
    return conn;
  }

  /**
   * Sends a read now (or behind a waiting write). Like {@link #write}, the caller must {@link
   * #track} the result (or what it derives from it) unless a failure may be ignored.
   */
  <R> Future<R> read(Supplier<Future<R>> statement) {
    return issue(statement, false);
  }

  /** Sends a write once {@code BEGIN} succeeded, after everything issued before it. */
  <R> Future<R> write(Supplier<Future<R>> statement) {
    return issue(statement, true);
  }

  /**
   * Counts {@code derived} (a statement's result, possibly mapped) among what decides the
   * transaction's result: a statement nobody waited for that fails makes the result that failure.
   * A condition that must hold for the transaction to commit has to be checked by the database in
   * the statement itself (V21's {@code rebound_require}): COMMIT may be sent before the answer
   * arrives, and only an error raised by PostgreSQL turns it into a rollback.
   */
  synchronized <R> Future<R> track(Future<R> derived) {
    issued.add(derived);
    return derived;
  }

  // Sends happen under the lock (they only enqueue on the connection), so no statement can
  // overtake one issued earlier, whichever thread issues it.
  private synchronized <R> Future<R> issue(Supplier<Future<R>> statement, boolean write) {
    Promise<R> promise = Promise.promise();
    if (begun.failed()) {
      promise.fail(begun.cause());
    } else if ((begun.succeeded() && waiting.isEmpty()) || (!begun.isComplete() && !write && !writeWaiting)) {
      send(statement, promise);
    } else {
      waiting.add(new Waiting(() -> send(statement, promise), promise));
      writeWaiting |= write;
    }
    return promise.future();
  }

  private static <R> void send(Supplier<Future<R>> statement, Promise<R> promise) {
    Future<R> sent;
    try {
      sent = statement.get();
    } catch (RuntimeException e) {
      sent = Future.failedFuture(e);
    }
    sent.onComplete(promise);
  }

  private synchronized void drain() {
    for (Waiting next = waiting.poll(); next != null; next = waiting.poll()) {
      if (begun.succeeded()) {
        next.send().run();
      } else {
        next.promise().tryFail(begun.cause());
      }
    }
    writeWaiting = false;
  }

  /** Completes, once every issued statement answered, with the first failure in issue order (or null). */
  private Future<Throwable> settled() {
    List<Future<?>> all;
    synchronized (this) {
      all = new ArrayList<>(issued);
    }
    if (begun.failed()) {
      return Future.succeededFuture(begun.cause());
    }
    return Future.join(all).transform(r -> {
      for (Future<?> f : all) {
        if (f.failed()) {
          return Future.succeededFuture(f.cause());
        }
      }
      return Future.succeededFuture(null);
    });
  }
}
