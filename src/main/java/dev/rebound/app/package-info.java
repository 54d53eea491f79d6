/**
 * Application services and bootstrap: the one place where configuration, files on disk (runbooks,
 * knowledge) and stores (PostgreSQL) meet. The CLI and the HTTP edge call these; domain packages
 * ({@code runbook}, {@code inventory}) never import this package. Nothing here imports Slack or
 * langchain4j types; only {@link dev.rebound.app.Bootstrap} knows about the HTTP verticle.
 */
package dev.rebound.app;
