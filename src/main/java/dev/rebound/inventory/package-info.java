/**
 * The asset inventory and the team: {@code knowledge/assets.yaml} and {@code knowledge/team.yaml}
 * read strictly (every problem reported as {@code file:line:col: message}), the dependency and
 * lineage graph over assets, and the questions asked of it during an incident: what is
 * downstream of a failure ({@link dev.rebound.inventory.AssetGraph#impact}), which recovery
 * deadline is the tightest, and in what order to restore and re-validate
 * ({@link dev.rebound.inventory.AssetGraph#recoveryOrder}). Roles and their ordering
 * ({@link dev.rebound.inventory.Role}) live here because the engine's approval policy and the
 * HTTP/Slack layers both ask "may this person do that?".
 *
 * <p>Pure domain: it may import {@code dev.rebound.yaml}, {@code dev.rebound.error}, Jackson (for
 * the JSON views) and the JDK, and must never import Vert.x, Slack, langchain4j, JDBC or any other
 * package of Rebound (the runbook loader, CLI and HTTP layers call in, not the other way round).
 * Everything here is immutable after loading and safe to share between threads; loading reads
 * files and so is blocking work (call it off the event loop).
 */
package dev.rebound.inventory;
