package dev.rebound.db;

import java.util.Optional;

/**
 * The schema version this process migrated to, or nothing before {@link Database#migrate()}
 * succeeded. Written from a worker thread, read on event loops: hence volatile.
 */
final class MigrationState {
  private volatile String expectedVersion;

  void applied(String schemaVersion) {
    expectedVersion = schemaVersion;
  }

  Optional<String> expectedVersion() {
    return Optional.ofNullable(expectedVersion);
  }
}
