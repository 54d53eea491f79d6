package dev.rebound.engine.check;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rebound.audit.Masker;
import dev.rebound.config.ReboundConfig;
import dev.rebound.engine.target.Datasources;
import dev.rebound.engine.target.Deadline;
import dev.rebound.engine.target.SqlValues;
import dev.rebound.engine.target.TargetCallException;
import dev.rebound.runbook.ParamBinder;
import dev.rebound.runbook.ParamSpec;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads a parameter's candidate values ({@link ParamSpec.Choices}) the way a check reads: one
 * query in a read-only transaction the server enforces, bounded in time and rows. Each row's first
 * column is the value a person may pick; the other columns, {@code name value} each, say which
 * one to pick, secrets masked. A form offers only the values its parameter accepts: the other
 * rows are said, not offered. Blocking.
 */
public final class ParamChoiceReader {
  /** Rows offered at most: candidates to pick from at a glance, not a listing. */
  public static final int LIMIT = 20;

  private final Datasources datasources;
  private final Masker masker;
  private final Duration timeout;

  public ParamChoiceReader(Datasources datasources, Masker masker, Duration timeout) {
    this.datasources = datasources;
    this.masker = masker;
    this.timeout = timeout;
  }

  /** How long one read may take; see {@link #candidates(ParamSpec, Deadline)} for several at once. */
  public Duration timeout() {
    return timeout;
  }

  public static ParamChoiceReader standard(ReboundConfig config, Duration timeout) {
    return new ParamChoiceReader(Datasources.from(config), Masker.of(config.secretValues()), timeout);
  }

  /** A value to offer and what describes it (empty when the query returns one column). */
  public record Choice(String value, String label) {}

  /** The candidates a form offers, and the rows left out, each saying why (secrets masked). */
  public record Candidates(List<Choice> offered, List<String> leftOut) {}

  /**
   * The candidates of {@code param}'s choices that the parameter accepts, in the query's order. A
   * row is left out, and said, when its value is NULL or blank (nothing to pick, and an empty
   * option breaks Slack's menu), holds a secret (shown masked, a pick would bind the mask), or
   * fails the parameter's type or schema as if typed into the form (a button filling a number
   * field with text, which the browser silently empties, would only fail when the run starts).
   *
   * @throws TargetCallException when the datasource is unknown, unreachable, slower than the
   *     timeout, or refuses the query (a write, say), with a message naming it
   * @throws IllegalArgumentException when the parameter names no choices
   */
  public Candidates candidates(ParamSpec param) {
    return candidates(param, Deadline.after(timeout));
  }

  /**
   * As {@link #candidates(ParamSpec)}, finishing by {@code deadline}: reads of several parameters
   * for one form share it, so together they take no longer than one.
   */
  public Candidates candidates(ParamSpec param, Deadline deadline) {
    ParamSpec.Choices choices = param.choices()
        .orElseThrow(() -> new IllegalArgumentException("param " + param.name() + " names no choices"));
    List<Choice> offered = new ArrayList<>();
    List<String> leftOut = new ArrayList<>();
    for (Row row : rows(choices, deadline)) {
      String value = text(row.value());
      String prefix = "param " + param.name() + ": a row's value (its first column) ";
      if (row.value() == null || row.value().isNull()) {
        leftOut.add(prefix + "is NULL");
      } else if (value.isBlank()) {
        leftOut.add(prefix + "is blank");
      } else if (!masker.mask(value).equals(value)) {
        leftOut.add(prefix + "holds a secret");
      } else {
        List<String> refused = ParamBinder.bindStrings(List.of(param), Map.of(param.name(), value)).errors();
        if (refused.isEmpty()) {
          offered.add(new Choice(value, masker.mask(row.label())));
        } else {
          leftOut.add(masker.mask(String.join("; ", refused)));
        }
      }
    }
    return new Candidates(offered, leftOut);
  }

  /** One row: its first column, and the others described as {@code name value}. */
  private record Row(JsonNode value, String label) {}

  private List<Row> rows(ParamSpec.Choices choices, Deadline deadline) {
    List<Row> out = new ArrayList<>();
    datasources.inTransaction(choices.datasource(), true, deadline, session -> {
      try (PreparedStatement statement = session.prepare(choices.sql(), List.of())) {
        statement.setMaxRows(LIMIT);
        try (ResultSet rs = statement.executeQuery()) {
          ResultSetMetaData meta = rs.getMetaData();
          while (rs.next()) {
            List<String> described = new ArrayList<>();
            for (int column = 2; column <= meta.getColumnCount(); column++) {
              described.add(meta.getColumnLabel(column) + " " + text(SqlValues.value(rs, column)));
            }
            out.add(new Row(SqlValues.value(rs, 1), String.join(", ", described)));
          }
        }
      }
      return null;
    });
    return out;
  }

  private static String text(JsonNode value) {
    return value == null || value.isNull() ? "NULL" : value.isTextual() ? value.asText() : value.toString();
  }
}
