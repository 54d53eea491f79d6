package dev.rebound.retrieval;

import dev.rebound.error.ValidationException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What a document is; the search filter {@code --kind} / {@code kind=} names one of these. */
public enum DocKind {
  RUNBOOK,
  INCIDENT,
  DOC,
  ASSET;

  /** The name in the database, the CLI and the API: {@code runbook}, {@code incident}… */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** @throws ValidationException naming the accepted kinds */
  public static DocKind parse(String text) {
    for (DocKind kind : values()) {
      if (kind.wireName().equals(text)) {
        return kind;
      }
    }
    throw new ValidationException("unknown kind '" + text + "': expected one of " + names());
  }

  public static String names() {
    return Arrays.stream(values()).map(DocKind::wireName).collect(Collectors.joining(", "));
  }
}
