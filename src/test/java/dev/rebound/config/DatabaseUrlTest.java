package dev.rebound.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DatabaseUrlTest {
  @ParameterizedTest
  @ValueSource(strings = {
      "postgresql://rebound:pw@localhost:5432/rebound",
      "postgres://rebound:pw@localhost/rebound",
      "jdbc:postgresql://localhost:5432/rebound?user=rebound&password=pw"})
  void accepts_the_three_forms(String text) {
    DatabaseUrl url = DatabaseUrl.parse("DATABASE_URL", text);

    assertThat(url.host()).isEqualTo("localhost");
    assertThat(url.port()).isEqualTo(5432);
    assertThat(url.database()).isEqualTo("rebound");
    assertThat(url.user()).isEqualTo("rebound");
    assertThat(url.password()).map(Secret::reveal).contains("pw");
    assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://localhost:5432/rebound");
  }

  @Test
  void decodes_percent_escapes_and_ipv6_hosts() {
    DatabaseUrl url = DatabaseUrl.parse("DATABASE_URL", "postgresql://me:p%40ss%2Fw@[::1]:6000/db");

    assertThat(url.password()).map(Secret::reveal).contains("p@ss/w");
    assertThat(url.host()).isEqualTo("::1");
    assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://[::1]:6000/db");
  }

  @Test
  void to_string_hides_the_password() {
    DatabaseUrl url = DatabaseUrl.parse("DATABASE_URL", "postgresql://me:secret@h:1/db?sslmode=require");

    assertThat(url).hasToString("postgresql://me:***@h:1/db?sslmode=require");
  }

  @Test
  void names_what_is_missing_without_echoing_the_password() {
    assertThatThrownBy(() -> DatabaseUrl.parse("DATABASE_URL", "postgresql://me:secret@h:1"))
        .hasMessage("DATABASE_URL: \"postgresql://***@h:1\" names no database"
            + " (expected postgresql://user:password@host:port/database)");
    assertThatThrownBy(() -> DatabaseUrl.parse("DATABASE_URL", "postgresql://h/db"))
        .hasMessageStartingWith("DATABASE_URL: \"postgresql://h/db\" names no user");
    assertThatThrownBy(() -> DatabaseUrl.parse("DATABASE_URL", "postgresql://u@h/db?connect_timeout=3&password=zz"))
        .hasMessage("DATABASE_URL: parameter \"connect_timeout\" is not supported (supported: user, password, sslmode)");
    assertThatThrownBy(() -> DatabaseUrl.parse("DATABASE_URL", "postgresql://u@h/db?sslmode=verify-full"))
        .hasMessage("DATABASE_URL: sslmode \"verify-full\" is not supported (use one of disable, allow, prefer, require)");
  }

  @Test
  void redact_removes_user_info_and_password_parameters() {
    assertThat(DatabaseUrl.redact("postgres://a:b@h/d?password=c&x=1")).isEqualTo("postgres://***@h/d?password=***&x=1");
  }
}
