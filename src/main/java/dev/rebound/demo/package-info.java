/**
 * The demo production system: a small but real ML platform that drills break and the bundled
 * runbooks heal, running in Rebound's JVM ({@code rebound serve --demo}) on its own port and in
 * its own PostgreSQL schemas. Its contract, endpoint by endpoint, table by table, is
 * {@code knowledge/docs/demo-platform.md}; the runbooks in {@code runbooks/} and
 * {@code knowledge/assets.yaml} were written against it.
 *
 * <p>What it owns: an online feature store with an ingestion loop and checksummed snapshots, a
 * model registry with artifact files on disk, two serving instances behind a traffic-splitting
 * gateway, a RAG knowledge index, a daily warehouse pipeline with quarantine and backfill, and
 * training-dataset files. {@link dev.rebound.demo.DemoPlatform} is the verticle that creates (and
 * on {@link dev.rebound.demo.DemoPlatform#reset()} re-creates) its schemas, seed data and files,
 * runs its background loops and serves its HTTP API; {@link dev.rebound.demo.Faults} injects the
 * documented faults; {@link dev.rebound.demo.CallCounts} counts calls per endpoint so tests and
 * drills can assert that a step acted exactly once.
 *
 * <p>It plays production: Rebound reaches it only the way it reaches a real system, over HTTP,
 * SQL on the configured datasources and files. So nothing in the engine, runbook, inventory,
 * retrieval, audit or agent packages may import this package; only the edges that start it
 * ({@code cli}, later the drill runner and the console) do. It imports Vert.x (web, pg client),
 * the JDK, {@code dev.rebound.config} for its database location and {@code dev.rebound.retrieval}
 * for the embedding model, nothing else of Rebound.
 */
package dev.rebound.demo;
