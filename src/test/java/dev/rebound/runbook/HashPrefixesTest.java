package dev.rebound.runbook;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HashPrefixesTest {
  private static final String A = "50ce6b7d8dd8" + "1".repeat(52);

  @Test
  void hashes_that_differ_early_are_cut_at_twelve_characters() {
    assertThat(HashPrefixes.against(A, "9" + A.substring(1))).isEqualTo("50ce6b7d8dd8…");
  }

  @Test
  void hashes_that_differ_late_are_cut_just_after_the_first_difference() {
    String b = A.substring(0, 20) + "2" + A.substring(21);

    assertThat(HashPrefixes.against(A, b)).isEqualTo(A.substring(0, 21) + "…");
    assertThat(HashPrefixes.against(b, A)).isEqualTo(b.substring(0, 21) + "…");
  }

  @Test
  void a_difference_in_the_last_character_shows_both_whole() {
    String b = A.substring(0, 63) + "2";

    assertThat(HashPrefixes.against(A, b)).isEqualTo(A);
    assertThat(HashPrefixes.against(b, A)).isEqualTo(b);
  }

  @Test
  void a_short_value_is_shown_as_it_is() {
    assertThat(HashPrefixes.against("none", A)).isEqualTo("none");
  }
}
