package dev.rebound.engine.target;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;

/**
 * Binds rendered runbook values as statement parameters, never as SQL text. A JSON string is sent
 * with an unspecified type so the server infers it from the placeholder's context (as it does for
 * a quoted literal): {@code where id = $1} works for int, uuid or timestamp columns, and
 * {@code $1::text::bigint} works too. Integers bind as bigint, other numbers as numeric or double,
 * booleans as boolean, null as an untyped NULL, and objects and arrays as JSON text (cast with
 * {@code $1::jsonb}).
 */
public final class SqlArgs {
  private SqlArgs() {}

  public static void bind(PreparedStatement statement, List<JsonNode> args) throws SQLException {
    for (int i = 0; i < args.size(); i++) {
      bind(statement, i + 1, args.get(i));
    }
  }

  private static void bind(PreparedStatement statement, int index, JsonNode value) throws SQLException {
    if (value == null || value.isNull() || value.isMissingNode()) {
      statement.setNull(index, Types.NULL);
    } else if (value.isBoolean()) {
      statement.setBoolean(index, value.booleanValue());
    } else if (value.isIntegralNumber() && value.canConvertToLong()) {
      statement.setLong(index, value.longValue());
    } else if (value.isBigInteger() || value.isBigDecimal()) {
      statement.setBigDecimal(index, value.decimalValue());
    } else if (value.isNumber()) {
      statement.setDouble(index, value.doubleValue());
    } else if (value.isTextual()) {
      statement.setObject(index, value.textValue(), Types.OTHER);
    } else {
      statement.setObject(index, value.toString(), Types.OTHER);
    }
  }
}
