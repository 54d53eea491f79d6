package dev.rebound.digest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Sha256Test {
  @Test
  void hashes_utf8_as_lower_case_hex() {
    // FIPS 180-2's test vector for "abc".
    assertThat(Sha256.hex("abc")).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assertThat(Sha256.hex("é")).isEqualTo(Sha256.hex("é".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void a_digest_fed_in_parts_hashes_their_concatenation() {
    var digest = Sha256.newDigest();
    digest.update("ab".getBytes(StandardCharsets.UTF_8));
    digest.update("c".getBytes(StandardCharsets.UTF_8));
    assertThat(java.util.HexFormat.of().formatHex(digest.digest())).isEqualTo(Sha256.hex("abc"));
  }
}
