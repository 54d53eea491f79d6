package dev.rebound.bench;

import dev.rebound.audit.ActorType;
import dev.rebound.audit.AuditEvent;
import dev.rebound.audit.AuditVerifier;
import dev.rebound.audit.BenchAccess;
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
 * the hashes, the same run and incident indexes; no hashing, no chain lock), with 8 concurrent
 * writers, in one run on one scratch database; then verifies the chain. Not a test: run it by
 * hand.
 *
 * <pre>
 * mvn -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp target/classes:target/test-classes:$(cat target/cp.txt) dev.rebound.bench.AuditAppendBench [appendsPerWriter]
 * </pre>
 *
 * Uses DATABASE_URL (default postgresql://rebound:rebound@localhost:5432/rebound) only to reach
 * the server: it creates a database {@code rebound_bench_<time>} (the role needs CREATEDB, as for
 * the tests), migrates it, and drops it at the end. {@code -Dbench.writers=N} and
 * {@code -Dbench.rounds=N} change the 8 writers and 3 rounds.
 *
 * <p>Modes, each run once per round, alternating, after a warm-up; the median round is reported:
 * <ul>
 *   <li>plain insert, autocommit: one INSERT statement per entry;
 *   <li>audit append (group commit): {@code AuditLog.append(event)}, entries that arrive while a
 *       write is in flight go together in the next one;
 *   <li>audit, 1 statement per entry: the same without group commit (what it gains);
 *   <li>plain insert / audit append in a transaction: BEGIN, statement, COMMIT per entry, each
 *       sent after the previous one answered (Vert.x's {@code pool.withTransaction});
 *   <li>the same, pipelined: BEGIN, statement and COMMIT sent together, as the engine's
 *       transactions end ({@code AuditLog.append(tx, event)} with COMMIT right behind it), so the
 *       chain's lock is held for the append and the commit only.
 * </ul>
 */
public final class AuditAppendBench {
  private static final int WRITERS = 8;
  private static final int ROUNDS = Integer.getInteger("bench.rounds", 3);
  private static final String PLAIN_TABLE = """
      create table bench_plain (
        seq bigserial primary key, at timestamptz not null, actor_type text not null, actor_id text not null,
        action text not null, subject_type text not null, subject_id text not null, run_id text, incident_id text,
        details jsonb not null);
      create index bench_plain_run on bench_plain (run_id, seq) where run_id is not null;
      create index bench_plain_incident on bench_plain (incident_id, seq) where incident_id is not null;
      """;
  private static final String PLAIN_INSERT = "insert into bench_plain (at, actor_type, actor_id, action, subject_type,"
      + " subject_id, run_id, incident_id, details) values ($1, $2, $3, $4, $5, $6, $7, $8, $9::text::jsonb)";

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
      admin(url, PLAIN_TABLE);
      Pool pool = database.pool();
      PgAuditLog log = new PgAuditLog(pool, Masker.of(List.of("not-in-the-data")));
      System.out.printf(Locale.ROOT, "%d writers x %d appends, pool of 8 connections, %s%n",
          WRITERS, perWriter, url);

      Function<Integer, Future<?>> plain = i -> pool.preparedQuery(PLAIN_INSERT).execute(plainRow(i));
      Function<Integer, Future<?>> audit = i -> log.append(event(i));
      Function<Integer, Future<?>> auditSingle = i -> BenchAccess.appendUnbatched(pool, event(i));
      Function<Integer, Future<?>> plainTx = i -> pool.withTransaction(tx -> tx.preparedQuery(PLAIN_INSERT)
          .execute(plainRow(i)));
      Function<Integer, Future<?>> auditTx = i -> pool.withTransaction(tx -> log.append(tx, event(i)));
      Function<Integer, Future<?>> plainPipelined = i -> pipelined(pool, conn -> conn.preparedQuery(PLAIN_INSERT)
          .execute(plainRow(i)));
      Function<Integer, Future<?>> auditPipelined = i -> pipelined(pool, conn -> log.append(conn, event(i)));

      // Warm-up: JIT, connections, prepared plans.
      run(plain, 200);
      run(audit, 200);

      Map<String, Function<Integer, Future<?>>> modes = new java.util.LinkedHashMap<>();
      modes.put("plain insert, autocommit", plain);
      modes.put("audit append (group commit)", audit);
      modes.put("audit, 1 statement per entry", auditSingle);
      modes.put("plain insert, in transaction", plainTx);
      modes.put("audit append, in caller tx", auditTx);
      modes.put("plain insert, tx pipelined", plainPipelined);
      modes.put("audit append, tx pipelined", auditPipelined);
      Map<String, double[]> rates = new java.util.LinkedHashMap<>();
      modes.keySet().forEach(k -> rates.put(k, new double[ROUNDS]));
      for (int round = 0; round < ROUNDS; round++) {
        for (Map.Entry<String, Function<Integer, Future<?>>> mode : modes.entrySet()) {
          rates.get(mode.getKey())[round] = run(mode.getValue(), perWriter);
        }
      }

      System.out.println();
      Map<String, Double> median = new java.util.LinkedHashMap<>();
      rates.forEach((mode, r) -> {
        double[] sorted = r.clone();
        Arrays.sort(sorted);
        median.put(mode, sorted[ROUNDS / 2]);
        System.out.printf(Locale.ROOT, "%-30s %8.0f entries/s median, %8.0f best (rounds: %s)%n", mode,
            sorted[ROUNDS / 2], sorted[ROUNDS - 1], Arrays.toString(Arrays.stream(r).map(Math::rint).toArray()));
      });
      System.out.printf(Locale.ROOT, "ratio audit (group commit)/plain autocommit:     %.2f%n",
          median.get("audit append (group commit)") / median.get("plain insert, autocommit"));
      System.out.printf(Locale.ROOT, "ratio audit 1 statement/plain autocommit:        %.2f%n",
          median.get("audit, 1 statement per entry") / median.get("plain insert, autocommit"));
      System.out.printf(Locale.ROOT, "ratio audit in caller tx/plain in transaction:   %.2f%n",
          median.get("audit append, in caller tx") / median.get("plain insert, in transaction"));
      System.out.printf(Locale.ROOT, "ratio audit tx pipelined/plain tx pipelined:     %.2f%n",
          median.get("audit append, tx pipelined") / median.get("plain insert, tx pipelined"));

      long started = System.nanoTime();
      VerifyResult result = new AuditVerifier(pool).verify().await(600, TimeUnit.SECONDS);
      double seconds = (System.nanoTime() - started) / 1e9;
      System.out.printf(Locale.ROOT, "%s (verified in %.2f s, %.0f entries/s)%n", result.summary(), seconds,
          result.entriesChecked() / seconds);
      database.close().await(10, TimeUnit.SECONDS);
      if (!result.ok()) {
        System.exit(1);
      }
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
      dropWithRetry(server, url.database());
    }
  }

  /** Runs the writers (8 by default, -Dbench.writers), each {@code perWriter} operations in a row; entries/s. */
  private static double run(Function<Integer, Future<?>> op, int perWriter) throws Exception {
    long started = System.nanoTime();
    List<Future<Void>> writers = new ArrayList<>();
    for (int w = 0; w < WRITERS; w++) {
      writers.add(loop(op, w * perWriter, perWriter));
    }
    Future.all(writers).await(600, TimeUnit.SECONDS);
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
   * BEGIN, the statement and COMMIT sent back to back on one connection (the engine's way, see
   * dev.rebound.engine.PipelinedTx). The statement is sent only once BEGIN answered; COMMIT goes
   * right behind it, and PostgreSQL turns it into a rollback if the statement failed.
   */
  private static Future<?> pipelined(Pool pool, Function<io.vertx.sqlclient.SqlConnection, Future<?>> statement) {
    return pool.getConnection().compose(conn -> conn.query("BEGIN").execute()
        .compose(begun -> {
          Future<?> done = statement.apply(conn);
          Future<?> commit = conn.query("COMMIT").execute();
          return Future.all(done, commit);
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
