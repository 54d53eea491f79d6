package dev.rebound.engine;

import dev.rebound.engine.check.CheckResult;
import java.time.OffsetDateTime;
import java.util.Optional;

/**
 * A check a run ran, as stored in {@code run_checks}. {@code phase} is {@code precondition},
 * {@code verify}, {@code invariant} or {@code validation}.
 */
public record CheckRecord(
    Optional<String> stepId, String phase, int attempt, int idx, CheckResult result, OffsetDateTime at) {}
