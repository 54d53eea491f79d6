package dev.rebound.db;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rebound.inventory.Role;
import dev.rebound.testing.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

@ExtendWith(VertxExtension.class)
class TokenStoreIT {
  @RegisterExtension static final TestDatabase db = TestDatabase.create();

  private TokenStore tokens;

  @BeforeEach
  void setUp(Vertx vertx) throws Exception {
    tokens = new TokenStore(db.database(vertx).await(30, SECONDS).pool());
  }

  @Test
  void issues_random_prefixed_tokens_and_stores_only_their_hash() throws Exception {
    IssuedToken issued = tokens.issue("alice", Role.RESPONDER, "laptop").await(10, SECONDS);
    IssuedToken other = tokens.issue("alice", Role.RESPONDER, "ci").await(10, SECONDS);

    assertThat(issued.token()).startsWith("rb_").hasSize(3 + 43).isNotEqualTo(other.token());
    assertThat(issued.sha256()).isEqualTo(TokenStore.hash(issued.token()));
    assertThat(issued.toString()).doesNotContain(issued.token());
    try (Connection c = db.jdbc(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select * from api_tokens")) {
      while (rs.next()) {
        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
          assertThat(String.valueOf(rs.getObject(i))).doesNotContain(issued.token(), other.token());
        }
      }
    }
  }

  @Test
  void finds_active_tokens_and_forgets_revoked_ones() throws Exception {
    IssuedToken issued = tokens.issue("bob", Role.APPROVER, "").await(10, SECONDS);

    ApiToken found = tokens.find(issued.token()).await(10, SECONDS).orElseThrow();
    boolean revoked = tokens.revoke(issued.token()).await(10, SECONDS);
    boolean revokedAgain = tokens.revoke(issued.token()).await(10, SECONDS);

    assertThat(found.personId()).isEqualTo("bob");
    assertThat(found.role()).isEqualTo(Role.APPROVER);
    assertThat(revoked).isTrue();
    assertThat(revokedAgain).isFalse();
    assertThat(tokens.find(issued.token()).await(10, SECONDS)).isEmpty();
    assertThat(tokens.find("rb_never-issued").await(10, SECONDS)).isEmpty();
  }

  @Test
  void replaces_labelled_tokens_revoking_stale_ones_and_reviving_known_ones() throws Exception {
    IssuedToken real = tokens.issue("alice", Role.RESPONDER, "laptop").await(10, SECONDS);
    List<TokenStore.KnownToken> demo = List.of(
        new TokenStore.KnownToken("demo-alice", "alice", Role.APPROVER),
        new TokenStore.KnownToken("demo-gone", "gone", Role.ADMIN));

    int first = tokens.replaceLabelled("demo", demo).await(10, SECONDS);
    int again = tokens.replaceLabelled("demo", demo).await(10, SECONDS);
    int shrunk = tokens.replaceLabelled("demo", demo.subList(0, 1)).await(10, SECONDS);

    assertThat(first).isZero();
    assertThat(again).isZero();
    assertThat(shrunk).isEqualTo(1);
    assertThat(tokens.find("demo-alice").await(10, SECONDS)).hasValueSatisfying(t -> {
      assertThat(t.personId()).isEqualTo("alice");
      assertThat(t.role()).isEqualTo(Role.APPROVER);
      assertThat(t.label()).isEqualTo("demo");
    });
    assertThat(tokens.find("demo-gone").await(10, SECONDS)).isEmpty();

    int revokedAll = tokens.replaceLabelled("demo", List.of()).await(10, SECONDS);
    assertThat(revokedAll).isEqualTo(1);
    assertThat(tokens.find("demo-alice").await(10, SECONDS)).isEmpty();
    assertThat(tokens.find(real.token()).await(10, SECONDS)).isPresent();

    tokens.replaceLabelled("demo", demo.subList(0, 1)).await(10, SECONDS);
    assertThat(tokens.find("demo-alice").await(10, SECONDS)).isPresent();
  }

  @Test
  void refuses_tokens_that_could_not_be_presented_as_bearer_tokens() {
    var bad = List.of(new TokenStore.KnownToken("has space", "alice", Role.VIEWER));

    assertThat(tokens.replaceLabelled("demo", bad).failed()).isTrue();
    assertThat(tokens.replaceLabelled(" ", List.of()).failed()).isTrue();
  }
}
