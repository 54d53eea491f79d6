package dev.rebound.retrieval;

import dev.rebound.error.ValidationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A validated search request. Limits keep one request cheap: the text is embedded (cost grows
 * with length) and turned into an OR query over its words.
 */
public record SearchQuery(String text, Optional<DocKind> kind, int k) {
  public static final int MAX_CHARS = 2000;
  public static final int MAX_K = 50;
  public static final int DEFAULT_K = 5;

  /**
   * From raw parameters; {@code kind} and {@code k} may be null (all kinds, {@link #DEFAULT_K}).
   *
   * @throws ValidationException listing every problem
   */
  public static SearchQuery parse(String text, String kind, String k) {
    List<String> problems = new ArrayList<>();
    String q = text == null ? "" : text.strip();
    if (q.isEmpty()) {
      problems.add("query is empty: say what is broken, e.g. \"online features are stale\"");
    } else if (q.length() > MAX_CHARS) {
      problems.add("query is " + q.length() + " characters long; at most " + MAX_CHARS + " are accepted");
    }
    Optional<DocKind> parsedKind = Optional.empty();
    if (kind != null && !kind.isBlank()) {
      try {
        parsedKind = Optional.of(DocKind.parse(kind.strip()));
      } catch (ValidationException e) {
        problems.add(e.getMessage());
      }
    }
    int parsedK = DEFAULT_K;
    if (k != null && !k.isBlank()) {
      try {
        parsedK = Integer.parseInt(k.strip());
        if (parsedK < 1 || parsedK > MAX_K) {
          problems.add("k must be between 1 and " + MAX_K + ", got " + parsedK);
        }
      } catch (NumberFormatException e) {
        problems.add("k must be a whole number between 1 and " + MAX_K + ", got '" + k.strip() + "'");
      }
    }
    if (!problems.isEmpty()) {
      throw new ValidationException(problems);
    }
    return new SearchQuery(q, parsedKind, parsedK);
  }

  public static SearchQuery of(String text, DocKind kind, int k) {
    return parse(text, kind == null ? null : kind.wireName(), Integer.toString(k));
  }
}
