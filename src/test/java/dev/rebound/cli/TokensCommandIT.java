package dev.rebound.cli;

import static dev.rebound.cli.CliRunner.FIXTURES;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rebound.db.TokenStore;
import dev.rebound.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class TokensCommandIT {
  @RegisterExtension static final TestDatabase db = TestDatabase.create();

  private CliRunner cli() {
    return CliRunner.in(FIXTURES, Map.of("DATABASE_URL", db.urlText()));
  }

  @Test
  void issuedTokenIsPrintedAloneWithThePersonsHighestRoleAndCanBeRevokedOnce() throws Exception {
    CliRunner.Result issued = cli().run("tokens", "issue", "ana", "--label", "laptop");
    String token = issued.out().strip();

    assertThat(issued.exit()).as(issued.toString()).isZero();
    assertThat(issued.outLines()).hasSize(1);
    assertThat(token).startsWith(TokenStore.PREFIX);
    assertThat(issued.err()).contains("issued a token for ana (role approver, label 'laptop'").doesNotContain(token);
    assertThat(stored(token)).isEqualTo("ana approver laptop active");

    CliRunner.Result revoked = cli().run("tokens", "revoke", token);
    CliRunner.Result again = cli().run("tokens", "revoke", token);

    assertThat(revoked.exit()).isZero();
    assertThat(revoked.outLines()).containsExactly("revoked token sha256 " + TokenStore.hash(token).substring(0, 12) + "…");
    assertThat(stored(token)).isEqualTo("ana approver laptop revoked");
    assertThat(again.exit()).isEqualTo(1);
    assertThat(again.errLines()).containsExactly("rebound: no active token matches (already revoked, or never issued here)");
  }

  @Test
  void aHashPrefixIsRefusedWithWhatToGiveInsteadAndTheWholeHashIssuePrintsRevokes() throws Exception {
    CliRunner.Result issued = cli().run("tokens", "issue", "cy");
    String token = issued.out().strip();
    String hash = TokenStore.hash(token);
    assertThat(issued.err()).contains("sha256 " + hash + ")");

    CliRunner.Result byPrefix = cli().run("tokens", "revoke", hash.substring(0, 12));

    assertThat(byPrefix.exit()).isEqualTo(1);
    assertThat(byPrefix.errLines()).containsExactly("rebound: '" + hash.substring(0, 12) + "' is neither a token nor a"
        + " whole sha256: give the token, or all 64 hex digits of its sha256 (tokens issue prints them), not a prefix");
    assertThat(stored(token)).isEqualTo("cy responder  active");
    assertThat(cli().run("tokens", "revoke", hash).exit()).isZero();
    assertThat(stored(token)).isEqualTo("cy responder  revoked");
  }

  @Test
  void tokenCanBeRevokedByItsHash() throws Exception {
    String token = cli().run("tokens", "issue", "cy").out().strip();

    CliRunner.Result revoked = cli().run("tokens", "revoke", TokenStore.hash(token));

    assertThat(revoked.exit()).isZero();
    assertThat(stored(token)).isEqualTo("cy responder  revoked");
  }

  @Test
  void personMustBeInTeamYaml() {
    CliRunner.Result result = cli().run("tokens", "issue", "nobody");

    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.out()).isEmpty();
    assertThat(result.errLines()).containsExactly("rebound: 'nobody' is not a person in knowledge/team.yaml");
  }

  @Test
  void demoLabelIsReservedForServeDemo() {
    CliRunner.Result result = cli().run("tokens", "issue", "ben", "--label", "demo");

    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.err()).startsWith("rebound: label 'demo' is reserved");
  }

  private static String stored(String token) throws Exception {
    try (Connection c = db.jdbc();
        PreparedStatement s = c.prepareStatement(
            "select person_id, role, label, revoked_at is null as active from api_tokens where token_sha256 = ?")) {
      s.setString(1, TokenStore.hash(token));
      try (ResultSet rs = s.executeQuery()) {
        return rs.next()
            ? rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3) + " " + (rs.getBoolean(4) ? "active" : "revoked")
            : "absent";
      }
    }
  }
}
