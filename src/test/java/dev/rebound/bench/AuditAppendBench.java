package dev.rebound.bench;

import dev.rebound.audit.ActorType;
import dev.rebound.audit.AuditEvent;
import dev.rebound.audit.AuditVerifier;
import dev.rebound.audit.Masker;
import dev.rebound.audit.PgAuditLog;
import dev.rebound.audit.VerifyResult;
import dev.rebound.config.DatabaseUrl;
import dev.rebound.config.ReboundConfig;
import dev.rebound.config.Secret;
import dev.rebound.db.Database;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Throughput of audit appends against a plain INSERT into a similar table (the same columns but
 * the hashes, the same run and incident indexes; no hashing, no chain), with 8 concurrent writers,
 * in one run on one scratch database; then verifies the chain. Not a test: run it by hand.
 *
 * <pre>
 * mvn -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp target/classes:target/test-classes:$(cat target/cp.txt) dev.rebound.bench.AuditAppendBench [appendsPerWriter]
 * </pre>
 *
 * Uses DATABASE_URL (default postgresql://rebound:rebound-local-pw@localhost:5432/rebound)
 * only to reach the server: it creates a database {@code rebound_bench_<time>} (the role needs
 * CREATEDB, as for the tests), migrates it, and drops it at the end. {@code -Dbench.writers=N}
 * and {@code -Dbench.rounds=N} change the 8 writers and 5 rounds.
 *
 * <p>Modes, each run once per round, alternating, each round starting one mode later than the one
 * before (so that no mode always follows the same one), after a warm-up; the median round is
 * reported.
 * Audit modes are timed until every entry is sealed into the chain (the final {@code seal()}).
 * <ul>
 *   <li>state transition, the engine's way: BEGIN, then a state UPDATE, the entry and COMMIT sent
 *       together (dev.rebound.engine.PipelinedTx), the entry chained in the transaction when the
 *       chain's head is free, else left pending and sealed after the commit
 *       ({@code AuditLog.appendChained}, then {@code committed}, as PgRunStore does); against the
 *       same transaction with a plain INSERT; and the same with every entry left pending and sealed
 *       after the commit, the engine's way before V20, for comparison;
 *   <li>the same through Vert.x's {@code pool.withTransaction} (one round trip per statement;
 *       the append nudges the seal on commit by itself);
 *   <li>standalone: {@code AuditLog.append(event)} (insert, commit, seal, answer) against a plain
 *       INSERT in autocommit.
 * </ul>
 */
public final class AuditAppendBench {
  private static final int WRITERS = Integer.getInteger("bench.writers", 8);
  private static final int ROUNDS = Integer.getInteger("bench.rounds", 5);
  private static final String PLAIN_TABLE = """
      create table bench_plain (
        seq bigserial primary key, at timestamptz not null, actor_type text not null, actor_id text not null,
        action text not null, subject_type text not null, subject_id text not null, run_id text, incident_id text,
        details jsonb not null);
      create index bench_plain_run on bench_plain (run_id, seq) where run_id is not null;
      create index bench_plain_incident on bench_plain (incident_id, seq) where incident_id is not null;
      create table bench_state (id int primary key, state text not null, attempt int not null,
        updated_at timestamptz not null);
      """;
  private static final String PLAIN_INSERT = "insert into bench_plain (at, actor_type, actor_id, action, subject_type,"
      + " subject_id, run_id, incident_id, details) values ($1, $2, $3, $4, $5, $6, $7, $8, $9::text::jsonb)";
  /** Like a step transition: one row, its own per writer and operation (no lock waits between writers). */
  private static final String STATE_UPDATE =
      "update bench_state set state = 'running', attempt = attempt + 1, updated_at = now() where id = $1";

  private AuditAppendBench() {}

  public static void main(String[] args) throws Exception {
    int perWriter = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    DatabaseUrl server = ReboundConfig.fromEnvironment().database();
    DatabaseUrl url = server.withDatabase("rebound_bench_" + Instant.now().getEpochSecond());
    admin(server, "create database " + url.database() + " template template1");
    Vertx vertx = Vertx.vertx();
    try {
      Database database = Database.create(vertx, url);
      database.migrate().await(60, TimeUnit.SECONDS);
      admin(url, PLAIN_TABLE + "insert into bench_state select g, 'approved', 0, now() from generate_series(0, "
          + (WRITERS * perWriter) + ") g;");
      Pool pool = database.pool();
      PgAuditLog log = new PgAuditLog(pool, Masker.of(List.of("not-in-the-data")));
      System.out.printf(Locale.ROOT, "%d writers x %d appends, pool of 8 connections, %s%n",
          WRITERS, perWriter, url);

      Function<Integer, Future<?>> plainTxPipelined = i -> pipelined(pool, i, conn -> conn.preparedQuery(PLAIN_INSERT)
          .execute(plainRow(i))).mapEmpty();
      java.util.concurrent.atomic.AtomicLong chainedInTx = new java.util.concurrent.atomic.AtomicLong();
      java.util.concurrent.atomic.AtomicLong appendedInTx = new java.util.concurrent.atomic.AtomicLong();
      Function<Integer, Future<?>> auditTxPipelined = i -> pipelined(pool, i,
          conn -> log.appendChained(conn, List.of(event(i))))
          .onSuccess(appended -> {
            appendedInTx.incrementAndGet();
            if (appended.pending().isEmpty()) {
              chainedInTx.incrementAndGet();
            }
          })
          // As PgRunStore: after the commit, an entry left pending (the head was busy) is sealed,
          // coalesced with the others, without waiting for it.
          .onSuccess(log::committed);
      // The engine's way before V20: always pending, sealed after the commit.
      Function<Integer, Future<?>> pendingTxPipelined = i -> pipelined(pool, i, conn -> log.append(conn, event(i)))
          .onSuccess(pending -> log.sealed(List.of(pending)));
      Function<Integer, Future<?>> plainTx = i -> pool.withTransaction(tx -> tx.preparedQuery(STATE_UPDATE)
          .execute(Tuple.of(i)).compose(u -> tx.preparedQuery(PLAIN_INSERT).execute(plainRow(i))));
      Function<Integer, Future<?>> auditTx = i -> pool.withTransaction(tx -> tx.preparedQuery(STATE_UPDATE)
          .execute(Tuple.of(i)).compose(u -> log.append(tx, event(i))));
      Function<Integer, Future<?>> plain = i -> pool.preparedQuery(PLAIN_INSERT).execute(plainRow(i));
      Function<Integer, Future<?>> audit = i -> log.append(event(i));

      // Warm-up: JIT, connections, prepared plans.
      run(plainTxPipelined, 200, null);
      run(auditTxPipelined, 200, log);
      run(audit, 200, log);

      record Mode(Function<Integer, Future<?>> op, PgAuditLog sealedBy) {}
      Map<String, Mode> modes = new java.util.LinkedHashMap<>();
      modes.put("plain insert, tx pipelined", new Mode(plainTxPipelined, null));
      modes.put("audit append, tx pipelined", new Mode(auditTxPipelined, log));
      modes.put("audit pending+seal, tx pipelined", new Mode(pendingTxPipelined, log));
      modes.put("plain insert, withTransaction", new Mode(plainTx, null));
      modes.put("audit append, withTransaction", new Mode(auditTx, log));
      modes.put("plain insert, autocommit", new Mode(plain, null));
      modes.put("audit append, standalone", new Mode(audit, log));
      Map<String, double[]> rates = new java.util.LinkedHashMap<>();
      Map<String, double[]> cpu = new java.util.LinkedHashMap<>();
      modes.keySet().forEach(k -> rates.put(k, new double[ROUNDS]));
      modes.keySet().forEach(k -> cpu.put(k, new double[ROUNDS]));
      Map<String, double[]> javaCpu = new java.util.LinkedHashMap<>();
      modes.keySet().forEach(k -> javaCpu.put(k, new double[ROUNDS]));
      CpuMeter meter = new CpuMeter(pool);
      List<Map.Entry<String, Mode>> order = new ArrayList<>(modes.entrySet());
      for (int round = 0; round < ROUNDS; round++) {
        // Each round starts one mode later: a mode measured right after another pays for the
        // database work that one left behind (a mode right after the plain INSERTs ran 15-30%
        // slower than in any other place), so no mode may keep the same place every round.
        for (int m = 0; m < order.size(); m++) {
          Map.Entry<String, Mode> mode = order.get((m + round) % order.size());
          double[] used = meter.seconds();
          rates.get(mode.getKey())[round] = run(mode.getValue().op(), perWriter, mode.getValue().sealedBy());
          double[] now = meter.seconds();
          cpu.get(mode.getKey())[round] = (now[0] - used[0]) * 1e6 / (WRITERS * perWriter);
          javaCpu.get(mode.getKey())[round] = (now[1] - used[1]) * 1e6 / (WRITERS * perWriter);
        }
      }

      System.out.println();
      Map<String, Double> median = new java.util.LinkedHashMap<>();
      rates.forEach((mode, r) -> {
        double[] sorted = r.clone();
        Arrays.sort(sorted);
        median.put(mode, sorted[ROUNDS / 2]);
        double[] us = cpu.get(mode).clone();
        Arrays.sort(us);
        double[] java = javaCpu.get(mode).clone();
        Arrays.sort(java);
        System.out.printf(Locale.ROOT, "%-32s %8.0f entries/s median, %8.0f best (rounds: %s); CPU %s us/entry%n",
            mode, sorted[ROUNDS / 2], sorted[ROUNDS - 1], Arrays.toString(Arrays.stream(r).map(Math::rint).toArray()),
            meter.available() ? String.format(Locale.ROOT, "%.0f (JVM %.0f)", us[ROUNDS / 2], java[ROUNDS / 2]) : "n/a");
      });
      System.out.printf(Locale.ROOT, "ratio audit/plain, state tx pipelined (engine):  %.2f%n",
          median.get("audit append, tx pipelined") / median.get("plain insert, tx pipelined"));
      System.out.printf(Locale.ROOT, "  the engine's path chained %.1f%% of its transactions' entries in the transaction%n",
          100.0 * chainedInTx.get() / appendedInTx.get());
      System.out.printf(Locale.ROOT, "ratio pending+seal/plain, state tx pipelined:    %.2f (the engine's way before V20)%n",
          median.get("audit pending+seal, tx pipelined") / median.get("plain insert, tx pipelined"));
      System.out.printf(Locale.ROOT, "ratio audit/plain, state tx withTransaction:     %.2f%n",
          median.get("audit append, withTransaction") / median.get("plain insert, withTransaction"));
      System.out.printf(Locale.ROOT, "ratio audit standalone/plain autocommit:         %.2f%n",
          median.get("audit append, standalone") / median.get("plain insert, autocommit"));

      long started = System.nanoTime();
      VerifyResult result = new AuditVerifier(pool).verify().await(600, TimeUnit.SECONDS);
      double seconds = (System.nanoTime() - started) / 1e9;
      System.out.printf(Locale.ROOT, "%s (verified in %.2f s, %.0f entries/s)%n", result.summary(), seconds,
          result.entriesChecked() / seconds);
      database.close().await(10, TimeUnit.SECONDS);
      if (!result.ok() || result.pending() != 0) {
        System.exit(1);
      }
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
      dropWithRetry(server, url.database());
    }
  }

  /**
   * Runs the writers, each {@code perWriter} operations in a row; entries/s, counted until every
   * entry is in the chain when {@code sealedBy} is given.
   */
  private static double run(Function<Integer, Future<?>> op, int perWriter, PgAuditLog sealedBy) throws Exception {
    long started = System.nanoTime();
    List<Future<Void>> writers = new ArrayList<>();
    for (int w = 0; w < WRITERS; w++) {
      writers.add(loop(op, w * perWriter, perWriter));
    }
    Future.all(writers).await(600, TimeUnit.SECONDS);
    if (sealedBy != null) {
      sealedBy.seal().await(600, TimeUnit.SECONDS);
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    return WRITERS * perWriter / seconds;
  }

  private static Future<Void> loop(Function<Integer, Future<?>> op, int next, int remaining) {
    if (remaining == 0) {
      return Future.succeededFuture();
    }
    return op.apply(next).compose(done -> loop(op, next + 1, remaining - 1));
  }

  /**
   * A state transition the engine's way (dev.rebound.engine.PipelinedTx): BEGIN, then the state
   * UPDATE, {@code statement} and COMMIT sent back to back on one connection once BEGIN answered;
   * PostgreSQL turns the COMMIT into a rollback if a statement failed.
   */
  private static <R> Future<R> pipelined(Pool pool, int i,
      Function<io.vertx.sqlclient.SqlConnection, Future<R>> statement) {
    return pool.getConnection().compose(conn -> conn.query("BEGIN").execute()
        .compose(begun -> {
          Future<?> state = conn.preparedQuery(STATE_UPDATE).execute(Tuple.of(i));
          Future<R> done = statement.apply(conn);
          Future<?> commit = conn.query("COMMIT").execute();
          return Future.all(state, done, commit).map(all -> done.result());
        })
        .eventually(conn::close));
  }

  private static AuditEvent event(int i) {
    return AuditEvent.of(ActorType.AGENT, "agent", "tool.called", "tool", "search_runbooks")
        .withRun("run-" + (i % 50))
        .withDetails(Map.of("arguments", Map.of("query", "feature store stale", "k", 3),
            "result", List.of("feature-store-restore", "model-rollback", "vector-index-rebuild"), "i", i));
  }

  private static Tuple plainRow(int i) {
    AuditEvent e = event(i);
    return Tuple.from(Arrays.asList(OffsetDateTime.now(ZoneOffset.UTC), e.actorType().name().toLowerCase(Locale.ROOT),
        e.actorId(), e.action(), e.subjectType(), e.subjectId(), e.runId().orElse(null), null, e.details().toString()));
  }

  /**
   * CPU time used by this JVM and by this database's server processes (Linux /proc, the server on
   * this machine): less disturbed than wall-clock rates by other work on a shared machine. Server
   * processes outside the database (WAL writer, checkpointer) are not counted. Best effort: when
   * /proc cannot be read, {@link #available()} is false and the rates alone are reported.
   */
  private static final class CpuMeter {
    private static final long TICKS_PER_SECOND = 100;
    private final List<Long> backends = new ArrayList<>();
    private final java.lang.management.OperatingSystemMXBean os =
        java.lang.management.ManagementFactory.getOperatingSystemMXBean();

    CpuMeter(Pool pool) throws Exception {
      // The pool's 8 connections, opened by the warm-up and kept.
      pool.query("select pid from pg_stat_activity where datname = current_database()").execute()
          .await(10, TimeUnit.SECONDS).forEach(row -> backends.add(row.getLong(0).longValue()));
    }

    boolean available() {
      return os instanceof com.sun.management.OperatingSystemMXBean && backends.stream().allMatch(pid ->
          java.nio.file.Files.isReadable(java.nio.file.Path.of("/proc", pid.toString(), "stat")));
    }

    /** Seconds used so far: in all, and by this JVM alone. */
    double[] seconds() {
      if (!available()) {
        return new double[2];
      }
      double jvm = ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime() / 1e9;
      double total = jvm;
      for (long pid : backends) {
        try {
          String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", Long.toString(pid), "stat"));
          // After the command name in parentheses: state is field 3, utime and stime fields 14 and 15.
          String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          total += (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / (double) TICKS_PER_SECOND;
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }
      return new double[] {total, jvm};
    }
  }

  /**
   * An autovacuum worker (a superuser backend, which FORCE may not terminate) often works on the
   * freshly filled tables right after the run: wait for it a little instead of leaving the database.
   */
  private static void dropWithRetry(DatabaseUrl server, String database) throws Exception {
    for (int attempt = 1; ; attempt++) {
      try {
        admin(server, "drop database if exists " + database + " with (force)");
        return;
      } catch (SQLException e) {
        if (attempt == 10) {
          throw e;
        }
        Thread.sleep(1000);
      }
    }
  }

  private static void admin(DatabaseUrl url, String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(url.jdbcUrl(), url.user(),
            url.password().map(Secret::reveal).orElse(null));
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
