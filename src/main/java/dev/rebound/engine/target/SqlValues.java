package dev.rebound.engine.target;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * Reads SQL values as JSON, as step outputs and check observations need them: integers and
 * numerics as numbers, booleans, {@code timestamptz} as ISO-8601 UTC text (sessions run with
 * {@code TimeZone=UTC}), {@code json}/{@code jsonb} as trees, NULL as null, anything else as its
 * text form.
 */
public final class SqlValues {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private SqlValues() {}

  /** The current row as an object, column label → value; a repeated label keeps its first value. */
  public static ObjectNode row(ResultSet rs) throws SQLException {
    ObjectNode out = NODES.objectNode();
    ResultSetMetaData meta = rs.getMetaData();
    for (int i = 1; i <= meta.getColumnCount(); i++) {
      String label = meta.getColumnLabel(i);
      if (!out.has(label)) {
        out.set(label, value(rs, i));
      }
    }
    return out;
  }

  public static JsonNode value(ResultSet rs, int column) throws SQLException {
    ResultSetMetaData meta = rs.getMetaData();
    String typeName = meta.getColumnTypeName(column).toLowerCase(Locale.ROOT);
    Object raw = rs.getObject(column);
    if (raw == null) {
      return NODES.nullNode();
    }
    switch (meta.getColumnType(column)) {
      case Types.BIT:
      case Types.BOOLEAN:
        return NODES.booleanNode(rs.getBoolean(column));
      case Types.SMALLINT:
      case Types.INTEGER:
      case Types.BIGINT:
        return NODES.numberNode(rs.getLong(column));
      case Types.NUMERIC:
      case Types.DECIMAL: {
        BigDecimal d = rs.getBigDecimal(column);
        return d == null ? NODES.textNode(rs.getString(column)) : NODES.numberNode(d);
      }
      case Types.REAL:
      case Types.DOUBLE:
      case Types.FLOAT: {
        double d = rs.getDouble(column);
        return Double.isFinite(d) ? NODES.numberNode(d) : NODES.textNode(rs.getString(column));
      }
      default:
        break;
    }
    switch (typeName) {
      case "timestamptz":
        return NODES.textNode(rs.getObject(column, OffsetDateTime.class).toInstant().toString());
      case "json":
      case "jsonb":
        try {
          return TargetJson.MAPPER.readTree(rs.getString(column));
        } catch (JsonProcessingException e) {
          return NODES.textNode(rs.getString(column));
        }
      default:
        return NODES.textNode(rs.getString(column));
    }
  }

  /**
   * The value as an instant: {@code timestamptz}; {@code timestamp} and {@code date} read as UTC;
   * a number as epoch seconds; text as ISO-8601. Null for SQL NULL.
   *
   * @throws IllegalArgumentException if the value is none of these
   */
  public static Instant instant(ResultSet rs, int column) throws SQLException {
    if (rs.getObject(column) == null) {
      return null;
    }
    String typeName = rs.getMetaData().getColumnTypeName(column).toLowerCase(Locale.ROOT);
    switch (typeName) {
      case "timestamptz":
        return rs.getObject(column, OffsetDateTime.class).toInstant();
      case "timestamp":
        return rs.getObject(column, LocalDateTime.class).toInstant(ZoneOffset.UTC);
      case "date":
        return rs.getObject(column, LocalDate.class).atStartOfDay(ZoneOffset.UTC).toInstant();
      default:
        break;
    }
    OptionalDouble number = number(rs, column);
    if (number.isPresent()) {
      return Instant.ofEpochMilli(Math.round(number.getAsDouble() * 1000));
    }
    String text = rs.getString(column).trim();
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      try {
        return Instant.parse(text);
      } catch (DateTimeParseException e2) {
        throw new IllegalArgumentException("'" + text + "' (" + typeName + ") is not a timestamp");
      }
    }
  }

  /** The value as a double when it is numeric or numeric text; empty for NULL or non-numbers. */
  public static OptionalDouble number(ResultSet rs, int column) throws SQLException {
    Object raw = rs.getObject(column);
    if (raw == null) {
      return OptionalDouble.empty();
    }
    if (raw instanceof Number n) {
      return OptionalDouble.of(n.doubleValue());
    }
    try {
      return OptionalDouble.of(Double.parseDouble(rs.getString(column).trim()));
    } catch (NumberFormatException e) {
      return OptionalDouble.empty();
    }
  }
}
