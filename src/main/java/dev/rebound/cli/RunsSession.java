package dev.rebound.cli;

import dev.rebound.app.RunConsole;
import dev.rebound.app.Workspace;
import dev.rebound.audit.Masker;
import dev.rebound.inventory.Knowledge;
import dev.rebound.runbook.RunbookCatalog;
import java.time.Duration;

/** The database and a {@link RunConsole} for one {@code rebound runs} command; closes both. */
final class RunsSession implements AutoCloseable {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  final Db db;
  final RunConsole runs;

  private RunsSession(Db db, RunConsole runs) {
    this.db = db;
    this.runs = runs;
  }

  static RunsSession open(CliContext context) {
    Workspace workspace = context.workspace();
    RunbookCatalog catalog = workspace.loadRunbooks();
    Knowledge knowledge = workspace.loadKnowledge(RunbookFiles.knownIds(catalog)).orElseThrow();
    Db db = context.openDb(TIMEOUT);
    // The command's audit log comes from the Db, which closes it (its seals waited for) before the pool.
    return new RunsSession(db, new RunConsole(db.vertx(), db.pool(),
        db.auditLog(Masker.of(workspace.config().secretValues())), workspace, knowledge));
  }

  @Override
  public void close() {
    try {
      db.await(runs.close());
    } finally {
      db.close();
    }
  }
}
