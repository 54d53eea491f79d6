package dev.rebound.retrieval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rebound.error.ValidationException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SearchQueryTest {
  @Test
  void defaults_apply() {
    SearchQuery q = SearchQuery.parse("  stale features ", null, null);
    assertThat(q.text()).isEqualTo("stale features");
    assertThat(q.kind()).isEmpty();
    assertThat(q.k()).isEqualTo(SearchQuery.DEFAULT_K);
    assertThat(SearchQuery.parse("x", "incident", "7").kind()).isEqualTo(Optional.of(DocKind.INCIDENT));
  }

  @Test
  void every_problem_is_reported_at_once() {
    assertThatThrownBy(() -> SearchQuery.parse(" ", "runbooks", "0"))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.problems()).containsExactly(
            "query is empty: say what is broken, e.g. \"online features are stale\"",
            "unknown kind 'runbooks': expected one of runbook, incident, doc, asset",
            "k must be between 1 and 50, got 0"));
  }

  @Test
  void huge_queries_and_non_numbers_are_refused() {
    assertThatThrownBy(() -> SearchQuery.parse("x".repeat(2001), null, "abc"))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.problems()).containsExactly(
            "query is 2001 characters long; at most 2000 are accepted",
            "k must be a whole number between 1 and 50, got 'abc'"));
  }
}
