package dev.rebound.retrieval;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Text normalisation shared by the index and the query side, so both see the same words.
 * Identifiers are common in alerts and runbooks ({@code KubePodCrashLooping},
 * {@code feature-store-restore}, {@code features.online}): PostgreSQL's parser keeps them whole,
 * so their parts are appended as plain words as well.
 */
public final class Terms {
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z][A-Za-z0-9]*(?:[._-][A-Za-z0-9]+)*");
  private static final Pattern CAMEL = Pattern.compile("(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])");

  private static final Pattern LABEL_TEMPLATE = Pattern.compile("\\{\\{\\s*\\$labels\\.([A-Za-z_][A-Za-z0-9_]*)[^}]*}}");
  private static final Pattern NEGATION = Pattern.compile("n['’]t\\b", Pattern.CASE_INSENSITIVE);
  private static final Pattern TEMPLATE = Pattern.compile("\\{\\{.*?}}", Pattern.DOTALL);

  private Terms() {}

  /**
   * A query as people and alert rules write it, cleaned for the words side of the search (full
   * text, title coverage): alert templates ({@code {{ $labels.pod }}}) become the label's name,
   * other template expressions ({@code {{ $value | humanize }}}) are dropped, {@code n't} becomes
   * {@code not}, white space is collapsed. A label's name can be a precise word ({@code grpc_method},
   * {@code remote_name}); common ones ({@code namespace}, {@code instance}) weigh little in BM25.
   */
  public static String normaliseQuery(String text) {
    return clean(LABEL_TEMPLATE.matcher(text).replaceAll("$1"));
  }

  /**
   * The same query cleaned for the embedding: every template expression dropped, label
   * placeholders too, and only its first {@value #EMBEDDED_WORDS} words kept. A placeholder stands
   * for a value (a pod's name), not for a word of the message; as label names ("on device, mounted
   * on mountpoint, at instance") they crowd a short alert's meaning with words every runbook's
   * diagnosis section repeats (measured on the alert-to-runbook benchmark, see
   * {@link SearchTuning#DEFAULT}). The words side still gets the whole query.
   */
  public static String forEmbedding(String text) {
    String cleaned = clean(text);
    Matcher word = WORD_END.matcher(cleaned);
    for (int words = 0; word.find(); ) {
      if (++words == EMBEDDED_WORDS) {
        return cleaned.substring(0, word.end());
      }
    }
    return cleaned;
  }

  /**
   * The words of a query that are embedded. The embedding's cost grows with its length (on two
   * cores about 1.3 ms plus 0.14 ms a word piece; the longest alert text of the alert-to-runbook
   * benchmark, 108 word pieces, took 16 ms), while an alert's meaning is in its summary, its first
   * words. On that benchmark every score is the same with the first 20 or 24 words as with all of
   * them (16 words: text recall@1 0.944; 32: description recall@1 0.850, one query each way).
   */
  static final int EMBEDDED_WORDS = 24;
  private static final Pattern WORD_END = Pattern.compile("\\S+");

  private static String clean(String text) {
    String s = TEMPLATE.matcher(text).replaceAll(" ");
    // "isn't ready" must keep its "not": the parser would split it into "isn" and "t"
    s = NEGATION.matcher(s).replaceAll(" not");
    return s.replaceAll("\\s+", " ").strip();
  }

  /** {@code text} followed by the parts of its camel-case and dotted/dashed identifiers. */
  public static String withIdentifierParts(String text) {
    Set<String> parts = new LinkedHashSet<>();
    Matcher m = IDENTIFIER.matcher(text);
    while (m.find()) {
      String token = m.group();
      String[] pieces = token.split("[._-]");
      for (String piece : pieces) {
        String[] humps = CAMEL.split(piece);
        if (humps.length > 1 || pieces.length > 1) {
          for (String h : humps) {
            parts.add(h);
          }
        }
      }
    }
    return parts.isEmpty() ? text : text + "\n" + String.join(" ", parts);
  }
}
