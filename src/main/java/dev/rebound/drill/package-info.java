/**
 * Synthetic drills: scenario files ({@code drills/*.yaml}), the runner that breaks the demo
 * production system and recovers it with the expected runbook through the normal engine as a
 * drill run (approved by the drill identity alone), the reports it persists, drill history with
 * its trend, and the flags that mark runbooks whose last drill failed or is too old.
 *
 * <p>The demo system is reached only over HTTP ({@link dev.rebound.drill.DemoControl}), as a real
 * target would be; this package never imports {@code dev.rebound.demo}, Vert.x web, Slack or
 * langchain4j. Retrieval comes in as a {@link dev.rebound.drill.RunbookRetriever} the application
 * layer provides. A drill runs on a thread of its own and blocks it (checks, HTTP, awaiting
 * engine futures), never on an event loop. A stopping service asks it to end ({@link
 * dev.rebound.drill.DrillStop}) instead of interrupting that thread, so the drill still aborts its
 * run and resets the demo system, and its report says what it may have left behind ({@link
 * dev.rebound.drill.DrillInterruption}), also when a later start finds it abandoned.
 */
package dev.rebound.drill;
