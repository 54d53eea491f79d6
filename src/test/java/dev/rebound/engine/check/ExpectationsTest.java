package dev.rebound.engine.check;

import static dev.rebound.engine.TestJson.tree;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rebound.runbook.Check;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExpectationsTest {
  @ParameterizedTest(name = "{0} with observed {1} → {2}")
  @CsvSource(delimiter = '|', value = {
      "{equals: 1}            | 1        | true",
      "{equals: 1}            | 1.0      | true",
      "{equals: 1}            | '\"1\"'  | true",
      "{equals: 1}            | 2        | false",
      "{equals: 'ranker@12'}  | '\"ranker@12\"' | true",
      "{equals: true}         | true     | true",
      "{equals: null}         | null     | true",
      "{equals: 0}            | null     | false",
      "{not_equals: 0}        | 3        | true",
      "{not_equals: 0}        | 0.00     | false",
      "{not_equals: 0}        | null     | true",
      "{less_than: 5}         | 4.99     | true",
      "{less_than: 5}         | 5        | false",
      "{at_most: 5}           | 5        | true",
      "{at_most: 0.02}        | 0.021    | false",
      "{greater_than: 10}     | 10       | false",
      "{greater_than: 10}     | 10.5     | true",
      "{at_least: 1}          | 1        | true",
      "{at_least: 1}          | 0        | false",
      "{at_least: 1}          | '\"abc\"' | false",
      "{at_least: 1}          | null     | false",
      "{between: [1, 5]}      | 1        | true",
      "{between: [1, 5]}      | 5        | true",
      "{between: [1, 5]}      | 5.01     | false",
      "{between: [1, 5]}      | '\"3\"'  | true",
  })
  void evaluates(String expect, String observed, boolean passed) {
    var entry = tree(expect).properties().iterator().next();
    Check.Expectation expectation = new Check.Expectation(entry.getKey(), entry.getValue());

    assertThat(Expectations.evaluate(expectation, tree(observed)).passed()).isEqualTo(passed);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{equals: 1}         | equals 1",
      "{at_most: 0.02}     | at most 0.02",
      "{between: [1, 5]}   | between 1 and 5",
      "{not_equals: 'x'}   | not equals x",
  })
  void describes_the_expectation_in_words(String expect, String words) {
    var entry = tree(expect).properties().iterator().next();

    assertThat(Expectations.describe(entry.getKey(), entry.getValue())).isEqualTo(words);
  }

  @org.junit.jupiter.api.Test
  void no_rows_fails_every_expectation() {
    Expectations.Verdict verdict = Expectations.evaluate(new Check.Expectation("equals", tree("0")), null);

    assertThat(verdict.passed()).isFalse();
    assertThat(verdict.problem()).isEqualTo("the query returned no rows");
  }
}
