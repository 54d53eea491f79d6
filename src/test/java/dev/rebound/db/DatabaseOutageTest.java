package dev.rebound.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rebound.config.DatabaseUrl;
import java.net.ConnectException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A refused connection is the database's only when it was refused at the database's host and port. */
class DatabaseOutageTest {

  @Test
  void a_refused_connection_to_the_databases_address_is_an_outage() {
    assertThat(DatabaseOutage.triedDatabase("Connection refused: localhost/127.0.0.1:5432", url("localhost"))).isTrue();
    assertThat(DatabaseOutage.triedDatabase("Connection refused: /127.0.0.1:5432", url("127.0.0.1"))).isTrue();
    assertThat(DatabaseOutage.triedDatabase("Connection refused: localhost/127.0.0.1:5432", url("127.0.0.1"))).isTrue();
    assertThat(DatabaseOutage.triedDatabase("Connection refused: /0:0:0:0:0:0:0:1:5432", url("[::1]"))).isTrue();
    assertThat(DatabaseOutage.triedDatabase("Connection refused: DB.internal/10.0.0.5:5432", url("db.internal"))).isTrue();

    RuntimeException wrapped = new RuntimeException("query failed",
        new ConnectException("Connection refused: localhost/127.0.0.1:5432"));
    assertThat(DatabaseOutage.of(wrapped, url("localhost"))).hasValueSatisfying(e ->
        assertThat(e.getMessage()).contains("unavailable: Connection refused: localhost/127.0.0.1:5432"));
  }

  @Test
  void a_refused_connection_elsewhere_on_the_same_port_is_not() {
    // A runbook target that also listens on 5432, on another host: its refusal is not the database's.
    assertThat(DatabaseOutage.triedDatabase("Connection refused: targets.internal/10.0.0.7:5432", url("localhost")))
        .isFalse();
    assertThat(DatabaseOutage.triedDatabase("Connection refused: /10.0.0.7:5432", url("127.0.0.1"))).isFalse();
    assertThat(DatabaseOutage.triedDatabase("Connection refused: localhost/127.0.0.1:8090", url("localhost"))).isFalse();
    assertThat(DatabaseOutage.triedDatabase("Connection refused", url("localhost"))).isFalse();
    assertThat(DatabaseOutage.of(new ConnectException("Connection refused: targets.internal/10.0.0.7:5432"),
        url("localhost"))).isEmpty();
  }

  private static DatabaseUrl url(String host) {
    return new DatabaseUrl(host, 5432, "rebound", "rebound", Optional.empty(), Optional.empty());
  }
}
