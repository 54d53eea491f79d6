package dev.rebound.demo;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Path;

/**
 * Training datasets: {@code GET /pipeline/admin/datasets/{dataset}} compares what training reads
 * (the {@code current} link, its manifest, its parts) with the catalog's current snapshot. This is
 * what the TrainingDatasetChecksumMismatch alert watches ({@code match: false}). Event-loop only;
 * hashing runs on a worker.
 */
final class Datasets {
  private final Vertx vertx;
  private final Pool pool;
  private final Path datasetsDir;

  Datasets(Vertx vertx, Pool pool, Path datasetsDir) {
    this.vertx = vertx;
    this.pool = pool;
    this.datasetsDir = datasetsDir;
  }

  Future<JsonObject> integrity(String dataset) {
    return pool.preparedQuery("""
            select d.current_snapshot, d.restored_at, s.manifest_sha256, s.row_count, s.parts
            from demo_warehouse.datasets d
            left join demo_warehouse.dataset_snapshots s on s.dataset = d.dataset and s.snapshot_id = d.current_snapshot
            where d.dataset = $1""")
        .execute(Tuple.of(dataset))
        .compose(rows -> {
          if (rows.size() == 0 || !dataset.matches("[a-z0-9][a-z0-9-]*")) {
            throw DemoHttpException.notFound("dataset " + dataset);
          }
          Row catalog = rows.iterator().next();
          return vertx.executeBlocking(() -> DatasetFiles.inspect(datasetsDir.resolve(dataset)))
              .map(files -> json(dataset, catalog, files));
        });
  }

  private static JsonObject json(String dataset, Row catalog, DatasetFiles files) {
    String catalogSha = catalog.getString("manifest_sha256");
    Long catalogRows = catalog.getLong("row_count");
    boolean match = catalogSha != null && catalogSha.equals(files.liveManifestSha256())
        && files.partsTotal() > 0 && files.partsOk() == files.partsTotal()
        && catalogRows != null && catalogRows.equals(files.liveRows());
    return new JsonObject()
        .put("dataset", dataset)
        .put("current_snapshot", catalog.getString("current_snapshot"))
        .put("current_target", files.currentTarget())
        .put("catalog_manifest_sha256", catalogSha)
        .put("live_manifest_sha256", files.liveManifestSha256())
        .put("catalog_rows", catalogRows)
        .put("live_rows", files.liveRows())
        .put("parts_total", files.partsTotal())
        .put("parts_ok", files.partsOk())
        .put("match", match)
        .put("restored_at", Times.iso(catalog.getOffsetDateTime("restored_at")));
  }

  void mount(DemoRouter routes) {
    routes.get("/pipeline/admin/datasets/:dataset", ctx -> integrity(ctx.pathParam("dataset")).map(Reply::ok));
  }
}
