/**
 * Slack and alert intake, a thin edge like {@code http}: Slack's request URLs
 * ({@code /slack/commands}, {@code /slack/interactions}, {@code /slack/events}), the messages
 * Rebound posts (Block Kit through the Web API), and {@code POST /api/alerts/alertmanager}.
 *
 * <p>It owns the request signature check (raw body, five-minute window both ways, constant-time
 * compare), the dedup of Slack's retries and of replays, the mapping of a Slack user to a person
 * of {@code knowledge/team.yaml}, and the threads it keeps up to date from the engine's run
 * events. Every decision is someone else's: incidents are the incident service's, suggestions
 * the agent's guided mode, approvals the engine's (the same call as the console's). Slack being
 * slow or down never affects a run: Web API calls run on their own worker pool and their
 * failures are logged, never propagated.
 *
 * <p>Must never be imported by {@code engine}, {@code runbook}, {@code audit}, {@code agent},
 * {@code retrieval} or {@code incident}; it imports no {@code app} or {@code cli} type.
 */
package dev.rebound.slack;
