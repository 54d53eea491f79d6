package dev.rebound.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Column assignments for an UPDATE of {@code runs} or {@code run_steps}, built in code (column
 * names are constants here, never input), values bound as parameters. Special values say what
 * SQL to write: the database's {@code now()}, {@code now() + lease}, or an expression on the
 * row's own column ({@link #decrement}).
 */
public final class Columns {
  enum Special { NOW }

  record LeaseFromNow(Duration lease) {}

  record Decrement(String column) {}

  record Json(JsonNode value) {}

  record TextArray(List<String> values) {}

  private final Map<String, Object> values = new LinkedHashMap<>();

  public static Columns set() {
    return new Columns();
  }

  public Columns put(String column, Object value) {
    values.put(column, value instanceof JsonNode node ? new Json(node) : value);
    return this;
  }

  public Columns nul(String column) {
    values.put(column, null);
    return this;
  }

  public Columns now(String column) {
    values.put(column, Special.NOW);
    return this;
  }

  public Columns leaseFromNow(String column, Duration lease) {
    values.put(column, new LeaseFromNow(lease));
    return this;
  }

  public Columns decrement(String column) {
    values.put(column, new Decrement(column));
    return this;
  }

  public Columns texts(String column, List<String> list) {
    values.put(column, new TextArray(List.copyOf(list)));
    return this;
  }

  public Columns at(String column, Instant instant) {
    values.put(column, instant);
    return this;
  }

  Map<String, Object> values() {
    return values;
  }

  boolean isEmpty() {
    return values.isEmpty();
  }
}
