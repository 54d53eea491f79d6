package dev.rebound.engine.target;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PgPlaceholdersTest {
  @Test
  void dollar_numbers_become_question_marks_in_order_of_appearance_and_repeat_their_argument() {
    PgPlaceholders.Translated t = PgPlaceholders.translate(
        "select count(*) from v where v.model_name = $1 and v.version = $2::text::int"
            + " and v.version <> (select c.version from c where c.model_name = $1)");

    assertThat(t.jdbcSql()).isEqualTo("select count(*) from v where v.model_name = ? and v.version = ?::text::int"
        + " and v.version <> (select c.version from c where c.model_name = ?)");
    assertThat(t.argNumbers()).containsExactly(1, 2, 1);
  }

  @Test
  void literals_identifiers_dollar_quotes_and_comments_are_left_alone() {
    String sql = "select '$1 ?', E'it\\'s $2', \"col$3\", a$4, $$ $5 ? $$, $fn$ $6 $fn$ -- $7 ?\n"
        + "/* $8 /* nested $9 */ ? */ from t where x = $10";

    PgPlaceholders.Translated t = PgPlaceholders.translate(sql);

    assertThat(t.jdbcSql()).isEqualTo(sql.replace("x = $10", "x = ?"));
    assertThat(t.argNumbers()).containsExactly(10);
  }

  @Test
  void a_question_mark_in_code_is_escaped_for_the_driver() {
    PgPlaceholders.Translated t = PgPlaceholders.translate("select doc ? 'a', doc ?| array['b'] from t where id = $1");

    assertThat(t.jdbcSql()).isEqualTo("select doc ?? 'a', doc ??| array['b'] from t where id = ?");
    assertThat(t.argNumbers()).containsExactly(1);
  }

  @Test
  void doubled_quotes_stay_inside_their_literal() {
    PgPlaceholders.Translated t = PgPlaceholders.translate("select 'it''s $1', \"a\"\"$2\" from t where y = $3");

    assertThat(t.argNumbers()).containsExactly(3);
  }
}
