package dev.rebound.engine.action;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.audit.Masker;
import dev.rebound.engine.target.Datasources;
import dev.rebound.engine.target.Deadline;
import dev.rebound.engine.target.SqlValues;
import dev.rebound.engine.target.TargetCallException;
import dev.rebound.runbook.Action;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Objects;

/**
 * {@code type: sql}. Runs the fixed SQL text on the named datasource in its own transaction, with
 * {@code args} only as bind values, {@code statement_timeout} from the step timeout, and
 * {@code read_only: true} enforced by the server ({@code SET TRANSACTION READ ONLY}). Output: the
 * first row's columns and {@code row_count} (rows returned, or rows affected by a statement
 * without {@code RETURNING}). See {@link Datasources} for which failures leave the outcome
 * unknown (only a lost COMMIT).
 */
public final class SqlActionExecutor implements ActionExecutor {
  private final Datasources datasources;
  private final Masker masker;

  public SqlActionExecutor(Datasources datasources, Masker masker) {
    this.datasources = Objects.requireNonNull(datasources, "datasources");
    this.masker = Objects.requireNonNull(masker, "masker");
  }

  private record Result(ObjectNode firstRow, long rowCount, boolean returnedRows) {}

  @Override
  public ActionOutcome execute(Action rendered, ActionContext ctx) throws ActionFailedException {
    if (!(rendered instanceof Action.Sql action)) {
      throw new IllegalArgumentException("not a sql action: " + rendered.type());
    }
    Deadline deadline = Deadline.after(ctx.timeout());
    Result result;
    try {
      result = datasources.inTransaction(action.datasource(), action.readOnly(), deadline, session -> {
        try (PreparedStatement statement = session.prepare(action.sql(), action.args())) {
          if (!statement.execute()) {
            return new Result(null, statement.getLargeUpdateCount(), false);
          }
          ObjectNode first = null;
          long count = 0;
          try (ResultSet rs = statement.getResultSet()) {
            while (rs.next()) {
              if (count == 0) {
                first = SqlValues.row(rs);
              }
              count++;
            }
          }
          return new Result(first, count, true);
        }
      });
    } catch (TargetCallException e) {
      throw ActionFailedException.from(masker, e);
    }
    ObjectNode fixed = Outputs.object().put("row_count", result.rowCount());
    ObjectNode output = Outputs.masked(masker, Outputs.merge(fixed, result.firstRow()));
    String summary = "sql on " + action.datasource() + ": " + result.rowCount()
        + (result.returnedRows() ? (result.rowCount() == 1 ? " row" : " rows") : " rows affected")
        + " in " + Outputs.millis(deadline.elapsed());
    return new ActionOutcome(output, masker.mask(summary), deadline.elapsed());
  }
}
