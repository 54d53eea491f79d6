package dev.rebound.audit;

import dev.rebound.error.FailureStreak;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves committed entries from {@code audit_pending} into the chain through the SQL function
 * {@code audit_seal} (V13__audit_pending.sql), which locks the head, takes the pending entries in
 * id order, hashes and inserts them and deletes them from pending, in one statement.
 *
 * <p><b>Coalescing.</b> At most one seal is in flight per sealer; a {@link #seal()} asked for
 * meanwhile is answered by the next one, which covers everything committed before it started.
 * An idle sealer seals at once; under sustained load (several seals asked for while a round ran)
 * rounds are {@link #LINGER_MS} apart, so a burst of commits costs a few seals, not one each.
 *
 * <p><b>Closing.</b> {@link #close()} before the pool closes: the rounds in flight or asked for
 * until then still run (the seal a commit nudged, and the one its waiter asked for, coalesced
 * behind it); every seal asked for later is refused at once, without a query or a log line.
 * Otherwise the second round met the closed pool of a command that exits as soon as its entry is
 * chained, and logged "Pool closed" although nothing was left to seal.
 *
 * <p>Every sealed entry is checked here the way {@link AuditVerifier} will check it (its hash
 * recomputed from its stored fields, each linked to the one before). The seal has committed by
 * then (it runs on its own), so a mismatch, which only a bug could cause, fails the waiting
 * appends and is logged; {@code audit verify} names the entry.
 *
 * <p>Threading: non-blocking, thread-safe (state guarded by this object's monitor); futures
 * complete on the pool's context.
 */
final class AuditSealer {
  static final int BATCH = 1000;
  /**
   * The pause between two rounds that follow each other (none before a round of an idle sealer).
   * AuditAppendBench, 8 writers in state transactions: about 50 us less CPU per entry with 3 ms
   * than with none, the seals being larger; what it costs is up to 3 ms more before a committed
   * entry is chained under sustained load (readers seal for themselves and do not wait for it).
   * Only then: a single caller's seal (a run's next step, whose event waits for it) goes at once.
   */
  static final long LINGER_MS = 3;
  /** How many seals asked for during a round make the next one wait {@link #LINGER_MS}. */
  static final int LINGER_AFTER_ASKED = 2;
  private static final Logger LOG = LoggerFactory.getLogger(AuditSealer.class);
  private static final String SEAL = "select * from audit_seal($1)";
  private static final String FIND = "select pending_id, " + AuditRows.COLUMNS
      + " from audit_log where pending_id = any($1)";

  private final Pool pool;
  private final Map<Long, Promise<AuditEntry>> waiting = new HashMap<>();
  private List<Promise<Void>> queued = new ArrayList<>();
  /** Every round fails while the database is away: reported when that starts, ends, and once a minute. */
  private final FailureStreak failures = new FailureStreak(
      "sealing audit entries", Clock.systemUTC(), LOG::warn, LOG::info);
  private boolean sealing;
  private boolean closed;
  /** Completed when the last round ends after {@link #close()}; null until a close waits. */
  private Promise<Void> drained;

  AuditSealer(Pool pool) {
    this.pool = Objects.requireNonNull(pool, "pool");
  }

  /** One entry as sealed, with the pending id it came from (null: written straight into the chain). */
  record Sealed(Long pendingId, AuditEntry entry) {}

  /**
   * Seals, in batches, every entry committed to {@code audit_pending} before the call: what a
   * reader calls before it reads (read-your-writes). Not coalesced; cheap when nothing is pending
   * (one read, no lock).
   */
  static Future<Void> sealAll(SqlClient client) {
    return sealOnce(client).compose(sealed -> sealed.size() < BATCH ? Future.succeededFuture() : sealAll(client));
  }

  /** One call of {@code audit_seal}: up to {@link #BATCH} entries, checked. */
  static Future<List<Sealed>> sealOnce(SqlClient client) {
    return client.preparedQuery(SEAL).execute(Tuple.of(BATCH)).map(AuditSealer::checked);
  }

  /** Rows of one seal, in seq order, each checked against Java's hash and linked to the one before. */
  static List<Sealed> checked(RowSet<Row> rows) {
    List<Sealed> sealed = new ArrayList<>(rows.size());
    String previous = null;
    for (Row row : rows) {
      AuditEntry entry = AuditRows.entry(row);
      if (!ChainHash.expectedHash(entry).equals(entry.hash())
          || (previous != null && !previous.equals(entry.prevHash()))) {
        throw new IllegalStateException("audit entry #" + entry.seq() + " was sealed with hash " + entry.hash()
            + " after " + entry.prevHash() + ", which Java does not compute from its content");
      }
      previous = entry.hash();
      sealed.add(new Sealed(row.getLong("pending_id"), entry));
    }
    return sealed;
  }

  /**
   * Seals everything committed before this call (coalesced with other callers); completes when
   * done. Also the nudge after a commit, with the result ignored. After {@link #close()}: fails at
   * once, unlogged.
   */
  Future<Void> seal() {
    Promise<Void> promise = Promise.promise();
    boolean start;
    synchronized (this) {
      if (closed) {
        return Future.failedFuture(new IllegalStateException("the audit log is closed: no more seals in this process"));
      }
      queued.add(promise);
      start = !sealing;
      sealing = true;
    }
    if (start) {
      nextRound();
    }
    return promise.future();
  }

  /**
   * The entries written to {@code audit_pending} with these ids, once they are in the chain. Call
   * only after their transaction committed: an id that is neither pending nor sealed then fails
   * (its transaction did not commit). Entries sealed by another replica are read back.
   */
  Future<List<AuditEntry>> sealed(List<Long> ids) {
    if (ids.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    List<Future<AuditEntry>> entries = new ArrayList<>(ids.size());
    synchronized (this) {
      for (long id : ids) {
        entries.add(waiting.computeIfAbsent(id, k -> Promise.promise()).future());
      }
    }
    // A seal already in flight may take them: then the answer comes from it, without waiting
    // for the seal asked for here (which still runs, and settles whatever is left after it).
    seal().onComplete(round -> {
      // Delivered by this process's seals, or still waiting: then another replica sealed it.
      Map<Long, Promise<AuditEntry>> left = new HashMap<>();
      synchronized (this) {
        for (long id : ids) {
          Promise<AuditEntry> promise = waiting.remove(id);
          if (promise != null) {
            left.put(id, promise);
          }
        }
      }
      if (round.failed()) {
        left.values().forEach(p -> p.fail(round.cause()));
      } else if (!left.isEmpty()) {
        sealedElsewhere(left);
      }
    });
    return Future.all(entries).map(all -> all.<AuditEntry>list());
  }

  /** Completes the waiters for entries that another replica's seal took (or that never committed). */
  private void sealedElsewhere(Map<Long, Promise<AuditEntry>> left) {
    pool.preparedQuery(FIND).execute(Tuple.of(left.keySet().toArray(Long[]::new))).map(rows -> {
      Map<Long, AuditEntry> found = new HashMap<>();
      for (Row row : rows) {
        found.put(row.getLong("pending_id"), AuditRows.entry(row));
      }
      return found;
    }).onComplete(result -> {
      Map<Long, AuditEntry> found = result.succeeded() ? result.result() : Map.of();
      left.forEach((id, promise) -> {
        if (result.failed()) {
          promise.fail(result.cause());
        } else if (found.containsKey(id)) {
          promise.complete(found.get(id));
        } else {
          promise.fail(new IllegalStateException("pending audit entry " + id
              + " is neither pending nor in the chain: its transaction did not commit"));
        }
      });
    });
  }

  /**
   * Refuses later seals and completes once the rounds in flight or asked for have ended, sealing
   * what was committed before them. Does not wait for the database on its own: the caller bounds
   * the wait before it closes the pool. Idempotent.
   */
  Future<Void> close() {
    synchronized (this) {
      closed = true;
      if (!sealing) {
        return Future.succeededFuture();
      }
      if (drained == null) {
        drained = Promise.promise();
      }
      return drained.future();
    }
  }

  /** No seal in flight or asked for, and nobody waiting for an entry to be sealed. */
  synchronized boolean idle() {
    return !sealing && waiting.isEmpty();
  }

  private void nextRound() {
    List<Promise<Void>> covered;
    Promise<Void> closeWaits;
    synchronized (this) {
      covered = queued;
      closeWaits = drained;
      if (covered.isEmpty()) {
        sealing = false;
      } else {
        queued = new ArrayList<>();
      }
    }
    if (covered.isEmpty()) {
      if (closeWaits != null) {
        closeWaits.tryComplete();
      }
      return;
    }
    Future<Void> round;
    try {
      round = drain();
    } catch (RuntimeException e) {
      // Never leave "sealing" set with nobody to clear it: every later seal would hang.
      round = Future.failedFuture(e);
    }
    round.onComplete(result -> {
      if (result.failed()) {
        failures.failed(result.cause());
      } else {
        failures.succeeded();
      }
      covered.forEach(p -> p.handle(result));
      // Back to back under load (several commits asked for a seal while this round ran): wait a
      // little so that the next round seals a batch, not the few entries committed meanwhile (a
      // seal's fixed cost is several entries' worth). One caller alone (a run's next step) must
      // not wait: its seal is on the path to the step's event.
      int asked;
      boolean closing;
      synchronized (this) {
        asked = queued.size();
        closing = closed;
      }
      Context context = Vertx.currentContext();
      // Closing: the pool closes once these rounds end, so the pause would only delay it.
      if (context == null || asked < LINGER_AFTER_ASKED || closing) {
        nextRound();
        return;
      }
      try {
        context.owner().setTimer(LINGER_MS, t -> nextRound());
      } catch (RuntimeException e) {
        // Vert.x closing: never leave "sealing" set with nobody to clear it.
        nextRound();
      }
    });
  }

  private Future<Void> drain() {
    return sealOnce(pool).compose(sealed -> {
      deliver(sealed);
      return sealed.size() < BATCH ? Future.succeededFuture() : drain();
    });
  }

  /**
   * The rows of a statement that chained a writer's own entries (flagged {@code appended}) along
   * with other writers' pending ones: all checked as every seal is (hashes recomputed, links
   * followed), the others handed to their waiters; the writer's own returned in seq order.
   */
  List<AuditEntry> ours(RowSet<Row> rows) {
    List<Sealed> sealed = checked(rows);
    List<AuditEntry> ours = new ArrayList<>(rows.size());
    List<Sealed> others = new ArrayList<>();
    int i = 0;
    for (Row row : rows) {
      if (row.getBoolean("appended")) {
        ours.add(sealed.get(i).entry());
      } else {
        others.add(sealed.get(i));
      }
      i++;
    }
    deliver(others);
    return ours;
  }

  /** Answers whoever waits for these entries (sealed here or by a standalone append's write). */
  void deliver(List<Sealed> sealed) {
    List<Map.Entry<Promise<AuditEntry>, AuditEntry>> done = new ArrayList<>();
    synchronized (this) {
      for (Sealed s : sealed) {
        Promise<AuditEntry> promise = s.pendingId() == null ? null : waiting.remove(s.pendingId());
        if (promise != null) {
          done.add(Map.entry(promise, s.entry()));
        }
      }
    }
    done.forEach(d -> d.getKey().complete(d.getValue()));
  }
}
