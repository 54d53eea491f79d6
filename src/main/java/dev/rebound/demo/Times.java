package dev.rebound.demo;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/** The contract's time format: ISO-8601 UTC with {@code Z}, whole seconds; dates as UTC days. */
final class Times {
  private Times() {}

  static String iso(OffsetDateTime time) {
    return time == null ? null : iso(time.toInstant());
  }

  static String iso(Instant time) {
    return time == null ? null : time.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  static LocalDate today() {
    return LocalDate.now(ZoneOffset.UTC);
  }
}
