package dev.rebound.retrieval;

import java.util.Arrays;
import java.util.HashSet;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * Title coverage, a re-ranking feature: the share of a document's title words that the query
 * contains. Sibling runbooks share most of their text ("filesystem almost out of space" /
 * "filesystem space filling up", "not ready" / "reconcile errors"); their titles tell them apart.
 *
 * <p>Both sides arrive as lexemes of the {@code rebound_title} configuration, which keeps stop
 * words, because "not", "down", "up", "any", "too" decide between such titles. Pure function
 * words ("the", "to", "of") are left out here: they say nothing about what is broken.
 *
 * <p>A title word also matches a query word that differs by a short ending only ({@link
 * #matches}): the stemmer leaves some forms apart, and a title is too short to lose its word.
 */
final class TitleWords {
  private static final Set<String> FUNCTION_WORDS = Set.of(
      "a", "an", "the", "to", "of", "in", "on", "for", "from", "with", "by", "at", "and", "or", "as",
      "is", "are", "be", "been", "was", "were", "it", "its", "this", "that", "these", "those", "when", "which");

  private TitleWords() {}

  /** Share of the title's content words found in the query; empty when the title has none. */
  static OptionalDouble coverage(String[] titleTerms, String[] queryTerms) {
    Set<String> title = contentWords(titleTerms);
    if (title.isEmpty()) {
      return OptionalDouble.empty();
    }
    Set<String> query = contentWords(queryTerms);
    long hit = title.stream().filter(w -> matches(w, query)).count();
    return OptionalDouble.of(hit / (double) title.size());
  }

  /**
   * The word is in the query, or one of the two is the other plus at most two letters, after at
   * least four in common: the stemmer keeps "failure" / "failed" apart as "failur" / "fail", and
   * "configuration" / "config" as "configur" / "config". Not more, so "kube" does not match "kubelet".
   */
  static boolean matches(String word, Set<String> query) {
    if (query.contains(word)) {
      return true;
    }
    for (String q : query) {
      String shorter = q.length() < word.length() ? q : word;
      String longer = shorter == q ? word : q;
      if (shorter.length() >= 4 && longer.length() - shorter.length() <= 2 && longer.startsWith(shorter)) {
        return true;
      }
    }
    return false;
  }

  private static Set<String> contentWords(String[] terms) {
    Set<String> out = new HashSet<>();
    if (terms != null) {
      Arrays.stream(terms).filter(t -> !FUNCTION_WORDS.contains(t)).forEach(out::add);
    }
    return out;
  }
}
