/**
 * The command line ({@code rebound …}, picocli): one small class per command, each a thin edge
 * that parses arguments, calls {@code dev.rebound.app} and the domain packages, and renders the
 * result as stable, grep-able text (or JSON with {@code --json}). {@link dev.rebound.cli.Main} is
 * the root command and the jar's entry point.
 *
 * <p>Exit codes: 0 ok, 1 problems found or operation refused, 2 usage error. Expected failures
 * ({@code dev.rebound.error} exceptions, configuration problems) print one {@code rebound: …}
 * line per problem and never a stack trace unless {@code REBOUND_DEBUG=1}.
 *
 * <p>Only commands that need Rebound's database open one ({@link dev.rebound.cli.Db}: a Vert.x
 * instance and a pool, closed when the command ends, after the audit seals it started: a command
 * that writes audit entries takes its log from {@code Db.auditLog}); store futures are awaited on the CLI's
 * main thread, never on an event loop. Everything a command reads from its surroundings (the
 * environment, the working directory, how {@code serve} is stopped) comes from
 * {@link dev.rebound.cli.CliEnvironment}, so tests run commands in-process with their own.
 *
 * <p>May import {@code app}, {@code audit}, {@code config}, {@code db}, {@code demo} (serve --demo), {@code error}, {@code inventory}, {@code retrieval},
 * {@code runbook}, {@code yaml}, Vert.x core and SQL-client types, Jackson and picocli; never
 * {@code http} (the server is started through {@code app.Bootstrap}). No other package imports
 * this one.
 * It holds no business rules: who may approve, what lint checks and what a plan shows are
 * decided in {@code app} and {@code runbook}.
 */
package dev.rebound.cli;
