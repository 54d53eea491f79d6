package dev.rebound.config;

import java.util.Optional;

/**
 * The OpenAI-compatible chat model, if any. Without a base URL or model Rebound runs in guided
 * mode (retrieval plus the runbook's own steps); the agent package decides what "configured"
 * means from these three values.
 */
public record ModelSettings(Optional<String> baseUrl, Optional<Secret> apiKey, Optional<String> model) {}
