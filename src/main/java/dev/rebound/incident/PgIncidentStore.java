package dev.rebound.incident;

import dev.rebound.error.ConflictException;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/** The {@code incidents} table (V3__retrieval.sql). Returns futures; never blocks. */
public final class PgIncidentStore {
  private static final String COLUMNS = "id, title, occurred_at, severity, status, assets, symptoms, detected_by,"
      + " duration_s, root_cause, resolution, runbooks_used, body, source, file, content_hash";
  private static final String INSERT_ROW = "insert into incidents (" + COLUMNS + ") values"
      + " ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)";
  private static final String INSERT = INSERT_ROW + " on conflict (id) do nothing";
  private static final String UPSERT = INSERT_ROW
      + " on conflict (id) do update set title = excluded.title, occurred_at = excluded.occurred_at,"
      + " severity = excluded.severity, status = excluded.status, assets = excluded.assets,"
      + " symptoms = excluded.symptoms, detected_by = excluded.detected_by, duration_s = excluded.duration_s,"
      + " root_cause = excluded.root_cause, resolution = excluded.resolution, runbooks_used = excluded.runbooks_used,"
      + " body = excluded.body, source = excluded.source, file = excluded.file,"
      + " content_hash = excluded.content_hash, updated_at = now()";

  private final Pool pool;
  private final AtomicReference<IncidentSnapshot> snapshot = new AtomicReference<>();

  public PgIncidentStore(Pool pool) {
    this.pool = pool;
  }

  /** What is stored for an id: its hash and the file it came from (empty for API incidents). */
  public record Stored(String id, String contentHash, Optional<String> file) {}

  public Future<Void> upsert(Incident incident) {
    return upsert(pool, incident).onComplete(done -> remember(incident, done.succeeded()));
  }

  static Future<Void> upsert(SqlClient client, Incident i) {
    return client.preparedQuery(UPSERT).execute(values(i)).mapEmpty();
  }

  private static Tuple values(Incident i) {
    return Tuple.tuple(Arrays.asList(
        i.id(), i.title(), i.occurredAt().atOffset(ZoneOffset.UTC), i.severity().wireName(), i.status().wireName(),
        i.assets().toArray(String[]::new), i.symptoms().toArray(String[]::new), i.detectedBy().orElse(null),
        i.duration().map(Duration::toSeconds).orElse(null), i.rootCause(), i.resolution(),
        i.runbooksUsed().stream().map(RunbookRef::toString).toArray(String[]::new), i.body(), i.source(),
        i.file().orElse(null), i.contentHash()));
  }

  /**
   * Inserts a new incident and, in the same transaction, what {@code alongside} writes (its audit
   * entry): both or neither. {@link ConflictException} when the id is taken, also by a concurrent
   * insert.
   */
  public <T> Future<T> insert(Incident i, Function<SqlConnection, Future<T>> alongside) {
    return pool.withTransaction(tx -> tx.preparedQuery(INSERT).execute(values(i))
            .compose(rows -> rows.rowCount() == 0
                ? Future.<T>failedFuture(new ConflictException("incident '" + i.id() + "' already exists"))
                : alongside.apply(tx)))
        .onComplete(done -> remember(i, done.succeeded()));
  }

  public Future<Optional<Incident>> get(String id) {
    return pool.preparedQuery("select " + COLUMNS + " from incidents where id = $1").execute(Tuple.of(id))
        .map(rows -> {
          for (Row r : rows) {
            return Optional.of(incident(r));
          }
          return Optional.empty();
        });
  }

  /**
   * Every incident, newest first. Similar-incident scoring needs them all on every suggestion, so
   * the last read is kept in memory with a fingerprint of the table ({@link IncidentSnapshot}):
   * one aggregate query checks it, and the rows are read again only when the table changed in a
   * way this store did not see (file sync through another store, the CLI, SQL by hand). Writes
   * through this store update the copy, so reporting an incident does not cost a reload.
   */
  public Future<List<Incident>> all() {
    IncidentSnapshot cached = snapshot.get();
    if (cached == null) {
      return load();
    }
    return pool.query(IncidentSnapshot.FINGERPRINT_SQL).execute().compose(rows -> {
      Row r = rows.iterator().next();
      return cached.matches(r.getLong(0), r.getLong(1)) ? Future.succeededFuture(cached.incidents()) : load();
    });
  }

  private Future<List<Incident>> load() {
    return pool.query("select " + COLUMNS + " from incidents " + IncidentSnapshot.ORDER_SQL).execute().map(rows -> {
      List<Incident> out = new ArrayList<>();
      List<String> hashes = new ArrayList<>();
      for (Row r : rows) {
        out.add(incident(r));
        hashes.add(r.getString("content_hash"));
      }
      IncidentSnapshot read = IncidentSnapshot.of(out, hashes);
      snapshot.set(read);
      return read.incidents();
    });
  }

  /** After a write: the copy gains the incident, or, when the write failed, is dropped. */
  private void remember(Incident incident, boolean written) {
    snapshot.updateAndGet(s -> s == null || !written ? null : s.with(incident));
  }

  private void forget() {
    snapshot.set(null);
  }

  public Future<Map<String, Stored>> stored() {
    return pool.query("select id, content_hash, file from incidents").execute().map(rows -> {
      Map<String, Stored> out = new HashMap<>();
      rows.forEach(r -> out.put(r.getString(0), new Stored(r.getString(0), r.getString(1), Optional.ofNullable(r.getString(2)))));
      return out;
    });
  }

  public Future<Void> delete(Collection<String> ids) {
    if (ids.isEmpty()) {
      return Future.succeededFuture();
    }
    return pool.preparedQuery("delete from incidents where id = any($1)").execute(Tuple.tuple().addValue(ids.toArray(String[]::new)))
        .onComplete(x -> forget())
        .<Void>mapEmpty();
  }

  /** Next free id of the form {@code INC-<year>-NNN} for incidents reported without one. */
  public Future<String> nextId(int year) {
    String prefix = "INC-" + year + "-";
    return pool.preparedQuery("select id from incidents where id like $1").execute(Tuple.of(prefix + "%")).map(rows -> {
      int max = 0;
      for (Row r : rows) {
        try {
          max = Math.max(max, Integer.parseInt(r.getString(0).substring(prefix.length())));
        } catch (NumberFormatException e) {
          // a hand-written id with the same prefix: not part of the numbering
        }
      }
      return prefix + String.format("%03d", max + 1);
    });
  }

  private static Incident incident(Row r) {
    Long durationS = r.getLong("duration_s");
    List<RunbookRef> refs = new ArrayList<>();
    for (String ref : r.getArrayOfStrings("runbooks_used")) {
      RunbookRef.parse(ref).ifPresent(refs::add);
    }
    return new Incident(
        r.getString("id"),
        r.getString("title"),
        r.getOffsetDateTime("occurred_at").toInstant(),
        Severity.valueOf(r.getString("severity").toUpperCase(java.util.Locale.ROOT)),
        IncidentStatus.valueOf(r.getString("status").toUpperCase(java.util.Locale.ROOT)),
        Arrays.asList(r.getArrayOfStrings("assets")),
        Arrays.asList(r.getArrayOfStrings("symptoms")),
        Optional.ofNullable(r.getString("detected_by")),
        Optional.ofNullable(durationS).map(Duration::ofSeconds),
        r.getString("root_cause"),
        r.getString("resolution"),
        refs,
        r.getString("body"),
        Optional.ofNullable(r.getString("file")));
  }
}
