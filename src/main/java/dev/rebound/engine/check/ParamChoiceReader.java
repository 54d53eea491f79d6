package dev.rebound.engine.check;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rebound.audit.Masker;
import dev.rebound.config.ReboundConfig;
import dev.rebound.engine.target.Datasources;
import dev.rebound.engine.target.Deadline;
import dev.rebound.engine.target.SqlValues;
import dev.rebound.engine.target.TargetCallException;
import dev.rebound.runbook.ParamSpec;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a parameter's candidate values ({@link ParamSpec.Choices}) the way a check reads: one
 * query in a read-only transaction the server enforces, bounded in time and rows. Each row's first
 * column is the value a person may pick (a row whose value is NULL, blank or holds a secret is
 * skipped); the other columns, {@code name value} each, say which one to pick, secrets masked.
 * Blocking.
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

  public static ParamChoiceReader standard(ReboundConfig config, Duration timeout) {
    return new ParamChoiceReader(Datasources.from(config), Masker.of(config.secretValues()), timeout);
  }

  /** A value to offer and what describes it (empty when the query returns one column). */
  public record Choice(String value, String label) {}

  /**
   * The candidates, in the query's order.
   *
   * @throws TargetCallException when the datasource is unknown, unreachable, slower than the
   *     timeout, or refuses the query (a write, say), with a message naming it
   */
  public List<Choice> read(ParamSpec.Choices choices) {
    List<Choice> out = new ArrayList<>();
    datasources.inTransaction(choices.datasource(), true, Deadline.after(timeout), session -> {
      try (PreparedStatement statement = session.prepare(choices.sql(), List.of())) {
        statement.setMaxRows(LIMIT);
        try (ResultSet rs = statement.executeQuery()) {
          ResultSetMetaData meta = rs.getMetaData();
          while (rs.next()) {
            JsonNode value = SqlValues.value(rs, 1);
            if (value == null || value.isNull() || text(value).isBlank()) {
              continue; // nothing a person could pick (nor the text "NULL"), and an empty option breaks Slack's menu
            }
            if (!masker.mask(text(value)).equals(text(value))) {
              continue; // a secret is never shown, and its masked text picked would bind the mask
            }
            List<String> described = new ArrayList<>();
            for (int column = 2; column <= meta.getColumnCount(); column++) {
              described.add(meta.getColumnLabel(column) + " " + text(SqlValues.value(rs, column)));
            }
            out.add(new Choice(text(value), masker.mask(String.join(", ", described))));
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
