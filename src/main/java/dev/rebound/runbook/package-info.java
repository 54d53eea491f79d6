/**
 * Runbooks as data: the model of a runbook file (steps, actions, checks, parameters), loading
 * and JSON Schema validation with {@code file:line:col} problems, the canonical form and
 * content hash that approvals pin, templating ({@code {{params.x}}}, {@code {{env.X}}},
 * {@code {{steps.s.output.f}}}), parameter binding, semantic lint, the approval policy and the
 * dry-run plan. It executes nothing and keeps no state beyond what it loads. It must never
 * import Vert.x, Slack or langchain4j types, nor any other Rebound package (inventory, config,
 * db, engine, http…): callers pass plain sets and maps (see {@link
 * dev.rebound.runbook.LintContext}), so the engine, CLI, HTTP and agent layers can all depend
 * on it and it on none of them. Besides the JDK it uses only Jackson, the networknt JSON Schema
 * validator (confined to {@code JsonSchemas}), {@code dev.rebound.yaml}, {@code dev.rebound.digest}
 * and the shared exception family {@code dev.rebound.error}.
 */
package dev.rebound.runbook;
