package dev.rebound.retrieval;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VectorIndexTest {
  @Test
  void only_a_far_nearest_chunk_widens_the_search() {
    assertThat(VectorIndex.widenedEfSearch(0.2, 120)).isEmpty();
    assertThat(VectorIndex.widenedEfSearch(VectorIndex.FAR, 120)).isEmpty();
    assertThat(VectorIndex.widenedEfSearch(0.54, 120)).contains(VectorIndex.WIDE_EF_SEARCH);
  }

  @Test
  void a_search_already_as_wide_is_not_repeated() {
    assertThat(VectorIndex.widenedEfSearch(0.9, VectorIndex.WIDE_EF_SEARCH)).isEmpty();
    assertThat(VectorIndex.widenedEfSearch(0.9, 2000)).isEmpty();
  }
}
