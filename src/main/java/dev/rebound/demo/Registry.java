package dev.rebound.demo;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Path;
import java.util.Set;

/**
 * The model registry ({@code demo_registry}): versions with their artifact and recorded sha256,
 * deployments (the current one is the latest row), version status. Registering a deployment loads
 * nothing; serving loads through its own admin API. Event-loop only; hashing runs on a worker.
 */
final class Registry {
  static final Set<String> STATUSES = Set.of("candidate", "approved", "bad");

  private static final String VERSION_SQL = """
      select model_name, version, artifact_uri, artifact_path, sha256, status, status_reason,
             training_dataset, training_snapshot, registered_at
      from demo_registry.model_versions where model_name = $1 and version = $2""";

  private static final String DEPLOYMENT_SQL = """
      select d.model_name, d.version, d.deployment_id, d.deployed_at, d.deployed_by, v.sha256,
             (select p.version from demo_registry.deployments p
              where p.model_name = d.model_name and p.deployment_id < d.deployment_id and p.version <> d.version
              order by p.deployment_id desc limit 1) as previous_version
      from demo_registry.deployments d
      join demo_registry.model_versions v on v.model_name = d.model_name and v.version = d.version
      where d.model_name = $1
      order by d.deployment_id desc limit 1""";

  private final Vertx vertx;
  private final Pool pool;
  private final Path baseDir;

  Registry(Vertx vertx, Pool pool, Path baseDir) {
    this.vertx = vertx;
    this.pool = pool;
    this.baseDir = baseDir;
  }

  static String ref(String model, int version) {
    return model + "@" + version;
  }

  /** The version row; 404 when unknown. */
  Future<Row> versionRow(String model, int version) {
    return pool.preparedQuery(VERSION_SQL).execute(Tuple.of(model, version)).map(rows -> {
      if (rows.size() == 0) {
        throw DemoHttpException.notFound("model version " + ref(model, version));
      }
      return rows.iterator().next();
    });
  }

  /** {@code artifact_path} (relative to the demo's working directory) as a file. */
  Path artifact(String artifactPath) {
    return baseDir.resolve(artifactPath).normalize();
  }

  Future<JsonObject> version(String model, int version) {
    return versionRow(model, version).map(r -> new JsonObject()
        .put("model_name", model)
        .put("version", version)
        .put("ref", ref(model, version))
        .put("artifact_uri", r.getString("artifact_uri"))
        .put("artifact_path", r.getString("artifact_path"))
        .put("sha256", r.getString("sha256"))
        .put("status", r.getString("status"))
        .put("status_reason", r.getString("status_reason"))
        .put("training_dataset", r.getString("training_dataset"))
        .put("training_snapshot", r.getString("training_snapshot"))
        .put("registered_at", Times.iso(r.getOffsetDateTime("registered_at"))));
  }

  /** Re-hashes the artifact file now. */
  Future<JsonObject> integrity(String model, int version) {
    return versionRow(model, version).compose(r -> {
      String path = r.getString("artifact_path");
      String recorded = r.getString("sha256");
      return vertx.executeBlocking(() -> DemoFiles.hash(artifact(path))).map(hash -> new JsonObject()
          .put("model_name", model)
          .put("version", version)
          .put("ref", ref(model, version))
          .put("artifact_path", path)
          .put("recorded_sha256", recorded)
          .put("actual_sha256", hash == null ? null : hash.sha256())
          .put("bytes", hash == null ? null : hash.bytes())
          .put("match", hash != null && hash.sha256().equals(recorded)));
    });
  }

  Future<JsonObject> deployment(String model) {
    return pool.preparedQuery(DEPLOYMENT_SQL).execute(Tuple.of(model)).map(rows -> {
      if (rows.size() == 0) {
        throw DemoHttpException.notFound("deployment of model " + model);
      }
      Row r = rows.iterator().next();
      int version = r.getInteger("version");
      return new JsonObject()
          .put("model_name", model)
          .put("version", version)
          .put("ref", ref(model, version))
          .put("sha256", r.getString("sha256"))
          .put("deployment_id", r.getLong("deployment_id"))
          .put("deployed_at", Times.iso(r.getOffsetDateTime("deployed_at")))
          .put("deployed_by", r.getString("deployed_by"))
          .put("previous_version", r.getInteger("previous_version"));
    });
  }

  /** Inserts a deployment row (the version must be approved); 201. */
  Future<JsonObject> deploy(String model, int version, String reason, String actor) {
    return versionRow(model, version).compose(r -> {
      if (!"approved".equals(r.getString("status"))) {
        throw DemoHttpException.conflict("version_not_approved",
            ref(model, version) + " is " + r.getString("status") + ", only approved versions can be deployed");
      }
      return pool.preparedQuery("""
              insert into demo_registry.deployments (model_name, version, deployed_by, reason)
              values ($1, $2, $3, $4) returning deployment_id""")
          .execute(Tuple.of(model, version, actor, reason))
          .compose(x -> deployment(model))
          .map(d -> new JsonObject()
              .put("deployment_id", d.getLong("deployment_id"))
              .put("model_name", model)
              .put("version", version)
              .put("ref", ref(model, version))
              .put("previous_version", d.getInteger("previous_version"))
              .put("deployed_at", d.getString("deployed_at")));
    });
  }

  Future<JsonObject> setStatus(String model, int version, String status, String reason) {
    if (!STATUSES.contains(status)) {
      return Future.failedFuture(DemoHttpException.invalid("status must be candidate, approved or bad"));
    }
    return versionRow(model, version).compose(r -> pool.preparedQuery(
            "select version from demo_registry.current_deployments where model_name = $1")
        .execute(Tuple.of(model))
        .compose(current -> {
          boolean deployed = current.size() > 0 && current.iterator().next().getInteger("version") == version;
          if (deployed && "bad".equals(status)) {
            throw DemoHttpException.conflict("version_deployed",
                ref(model, version) + " is deployed; deploy another version before marking it bad");
          }
          return pool.preparedQuery("""
                  update demo_registry.model_versions set status = $3, status_reason = $4
                  where model_name = $1 and version = $2""")
              .execute(Tuple.of(model, version, status, reason));
        })
        .map(x -> new JsonObject()
            .put("model_name", model)
            .put("version", version)
            .put("ref", ref(model, version))
            .put("status", status)
            .put("previous_status", r.getString("status"))));
  }

  void mount(DemoRouter routes) {
    routes.get("/registry/models/:name/versions/:version",
        ctx -> version(ctx.pathParam("name"), Bodies.version(ctx)).map(Reply::ok));
    routes.get("/registry/models/:name/versions/:version/integrity",
        ctx -> integrity(ctx.pathParam("name"), Bodies.version(ctx)).map(Reply::ok));
    routes.get("/registry/models/:name/deployment", ctx -> deployment(ctx.pathParam("name")).map(Reply::ok));
    routes.post("/registry/deployments", ctx -> {
      JsonObject body = Bodies.json(ctx);
      return deploy(Bodies.text(body, "model_name"), Bodies.integer(body, "version"),
          Bodies.optionalText(body, "reason").orElse(null), Bodies.actor(ctx, "admin-api")).map(Reply::created);
    });
    routes.post("/registry/models/:name/versions/:version/status", ctx -> {
      JsonObject body = Bodies.json(ctx);
      return setStatus(ctx.pathParam("name"), Bodies.version(ctx), Bodies.text(body, "status"),
          Bodies.optionalText(body, "reason").orElse(null)).map(Reply::ok);
    });
  }
}
