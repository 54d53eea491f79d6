package dev.rebound.cli;

import dev.rebound.app.KnowledgeIndex;
import dev.rebound.app.Workspace;
import dev.rebound.db.Database;
import dev.rebound.error.ReboundException;
import dev.rebound.error.UnavailableException;
import dev.rebound.retrieval.Embedder;
import dev.rebound.retrieval.EmbeddingSettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Like {@link Db}, for the retrieval commands, which also need the Vert.x instance (embedding
 * runs on its worker threads): a Vert.x, a migrated database and a {@link KnowledgeIndex} over
 * the command's workspace. Futures are awaited on the CLI's main thread, each bounded.
 */
final class RetrievalDb implements AutoCloseable {
  private final Vertx vertx;
  private final Database database;
  private final KnowledgeIndex index;

  private RetrievalDb(Vertx vertx, Database database, KnowledgeIndex index) {
    this.vertx = vertx;
    this.database = database;
    this.index = index;
  }

  static RetrievalDb open(CliContext context) {
    Workspace workspace = context.workspace(); // fails before anything is started when a directory is missing
    Embedder embedder = EmbeddingSettings.from(context.environment().variables(), context.config().model()).create();
    Vertx vertx = Vertx.vertx();
    Database database = Database.create(vertx, context.config().database());
    RetrievalDb db = new RetrievalDb(vertx, database, new KnowledgeIndex(vertx, database.pool(), workspace, embedder));
    try {
      db.await(database.migrate(), Duration.ofSeconds(60));
    } catch (RuntimeException e) {
      db.close();
      throw e;
    }
    return db;
  }

  KnowledgeIndex index() {
    return index;
  }

  Vertx vertx() {
    return vertx;
  }

  io.vertx.sqlclient.Pool pool() {
    return database.pool();
  }

  /** The result; Rebound's own failures pass through, others name the database. */
  <T> T await(Future<T> future, Duration limit) {
    try {
      return future.await(limit.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new UnavailableException("no answer within " + limit.toSeconds() + "s (database " + database.url() + ")", e);
    } catch (ReboundException e) {
      throw e;
    } catch (Exception e) {
      throw new UnavailableException("database " + database.url() + ": " + Db.describe(e), e);
    }
  }

  @Override
  public void close() {
    try {
      database.close().await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      // best effort: the process ends next
    }
    try {
      vertx.close().await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      // as above
    }
  }
}
