package dev.rebound.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

class DbDescribeTest {
  @Test
  void anUnknownHostIsCalledOneNotJustNamed() {
    // Before: "database postgresql://rebound@nohost.invalid:5432/rebound: nohost.invalid".
    assertThat(Db.describe(new RuntimeException("wrapped", new UnknownHostException("nohost.invalid"))))
        .isEqualTo("unknown host nohost.invalid");
  }
}
