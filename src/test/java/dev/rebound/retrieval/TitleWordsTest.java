package dev.rebound.retrieval;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TitleWordsTest {
  @Test
  void coverage_is_the_share_of_title_content_words_in_the_query() {
    String[] title = {"prometheus", "oper", "not", "readi"};
    String[] query = {"prometheus", "oper", "is", "not", "readi", "to", "reconcil"};

    assertThat(TitleWords.coverage(title, query)).hasValue(1.0);
    assertThat(TitleWords.coverage(new String[] {"prometheus", "oper", "reconcil", "error"}, query)).hasValue(0.75);
  }

  @Test
  void function_words_neither_count_nor_match_but_negations_do() {
    assertThat(TitleWords.coverage(new String[] {"the", "target", "down"}, new String[] {"the", "target"})).hasValue(0.5);
    assertThat(TitleWords.coverage(new String[] {"to", "of"}, new String[] {"to", "of"})).isEmpty();
  }

  @Test
  void a_word_the_stemmer_left_with_a_short_ending_still_matches() {
    String[] query = {"prometheus", "has", "fail", "to", "evalu", "rule"};

    assertThat(TitleWords.coverage(new String[] {"prometheus", "rule", "failur"}, query)).hasValue(1.0);
    assertThat(TitleWords.coverage(new String[] {"config", "inconsist"}, new String[] {"configur", "differ"})).hasValue(0.5);
    // a longer ending is another word: "kube" is not "kubelet"
    assertThat(TitleWords.coverage(new String[] {"kube", "schedul", "down"}, new String[] {"kubelet", "disappear"})).hasValue(0.0);
    // too short to tell a word from a prefix
    assertThat(TitleWords.coverage(new String[] {"up"}, new String[] {"upd"})).hasValue(0.0);
  }
}
