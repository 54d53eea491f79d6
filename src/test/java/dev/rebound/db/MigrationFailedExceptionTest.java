package dev.rebound.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rebound.config.DatabaseUrl;
import java.net.UnknownHostException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class MigrationFailedExceptionTest {
  private static final DatabaseUrl URL = DatabaseUrl.parse("DATABASE_URL", "postgresql://rebound:pw@nohost.invalid/rebound");

  @Test
  void anUnknownHostIsCalledOneNotJustNamed() {
    // The driver wraps the JDK's UnknownHostException, whose message is the bare host name:
    // before, "cannot migrate postgresql://…@nohost.invalid:5432/rebound: nohost.invalid".
    var e = new MigrationFailedException(URL, new SQLException("The connection attempt failed.",
        new UnknownHostException("nohost.invalid")));

    assertThat(e.getMessage()).isEqualTo(
        "cannot migrate postgresql://rebound:***@nohost.invalid:5432/rebound: unknown host nohost.invalid");
  }
}
