package dev.rebound.audit;

import dev.rebound.testing.TestDatabase;
import io.vertx.core.Future;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/** What the ITs with concurrent writers and sealers share: their loops, and reading results back. */
final class ConcurrentWriters {
  private ConcurrentWriters() {}

  /** {@code op(0)}, then {@code op(1)} once it completed, and so on: one writer's sequence. */
  static Future<Void> loop(int times, IntFunction<Future<?>> op) {
    Future<Void> chain = Future.succeededFuture();
    for (int i = 0; i < times; i++) {
      int n = i;
      chain = chain.compose(v -> op.apply(n).mapEmpty());
    }
    return chain;
  }

  /** {@code op} again and again, each after the last completed, while {@code condition} holds. */
  static Future<Void> whileTrue(AtomicBoolean condition, Supplier<Future<Void>> op) {
    if (!condition.get()) {
      return Future.succeededFuture();
    }
    return op.get().compose(v -> whileTrue(condition, op));
  }

  /** The first column of every row of {@code sql}. */
  static List<Long> longs(TestDatabase db, String sql) throws SQLException {
    List<Long> out = new ArrayList<>();
    try (Connection c = db.jdbc(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        out.add(rs.getLong(1));
      }
    }
    return out;
  }
}
