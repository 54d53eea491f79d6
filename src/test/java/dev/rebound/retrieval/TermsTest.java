package dev.rebound.retrieval;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TermsTest {
  @Test
  void identifiers_are_split_into_words() {
    assertThat(Terms.withIdentifierParts("KubePodCrashLooping on features.online"))
        .endsWith("Kube Pod Crash Looping features online");
  }

  @Test
  void alert_templates_become_label_names_and_values_disappear() {
    assertThat(Terms.normaliseQuery("Pod {{ $labels.namespace }}/{{$labels.pod}} is {{ $value | humanize }} full"))
        .isEqualTo("Pod namespace/pod is full");
  }

  @Test
  void for_the_embedding_label_placeholders_disappear_with_the_values() {
    String alert = "Filesystem on {{ $labels.device }} at {{ $labels.instance }} has only {{ printf \"%.2f\" $value }}% space left.";
    assertThat(Terms.forEmbedding(alert)).isEqualTo("Filesystem on at has only % space left.");
    assertThat(Terms.normaliseQuery(alert)).isEqualTo("Filesystem on device at instance has only % space left.");
    assertThat(Terms.forEmbedding("Prometheus operator isn't ready")).isEqualTo("Prometheus operator is not ready");
  }

  @Test
  void only_the_first_words_of_a_long_query_are_embedded_the_words_side_gets_all() {
    String words = IntStream.rangeClosed(1, Terms.EMBEDDED_WORDS + 6).mapToObj(i -> "w" + i).collect(Collectors.joining(" "));
    String alert = "{{ $value }} " + words + "\n\n";
    assertThat(Terms.forEmbedding(alert)).isEqualTo(words.substring(0, words.indexOf(" w" + (Terms.EMBEDDED_WORDS + 1))));
    assertThat(Terms.forEmbedding(alert).split(" ")).hasSize(Terms.EMBEDDED_WORDS).endsWith("w" + Terms.EMBEDDED_WORDS);
    assertThat(Terms.normaliseQuery(alert)).endsWith("w" + (Terms.EMBEDDED_WORDS + 6));
    assertThat(Terms.forEmbedding("disk full")).isEqualTo("disk full");
  }

  @Test
  void contracted_negations_keep_their_not() {
    assertThat(Terms.normaliseQuery("The operator isn't ready and won’t reconcile")).isEqualTo("The operator is not ready and wo not reconcile");
  }
}
