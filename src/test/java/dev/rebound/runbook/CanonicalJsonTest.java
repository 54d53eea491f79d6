package dev.rebound.runbook;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CanonicalJsonTest {
  private static final String ORIGINAL = """
      id: canon
      version: 1
      title: Canonical form
      summary: Two files that mean the same must hash the same.
      author: alice
      assets: [features.online]
      steps:
        - id: pause
          title: Pause
          risk: low
          action: {type: http, method: POST, url: "http://x/pause", body: {ratio: 0.5, n: 2}}
          reversible: false
      """;

  /** Same values: comments, key order, block vs flow style, quoting and number spelling differ. */
  private static final String REFORMATTED = """
      # a comment that must not matter
      version: 1.0
      id: 'canon'
      author: alice   # trailing comment
      title: "Canonical form"
      summary: >-
        Two files that mean
        the same must hash the same.
      assets:
        - features.online
      steps:
        - title: Pause
          id: pause
          action:
            url: http://x/pause
            method: POST
            type: http
            body:
              n: 2.0
              ratio: 5.0e-1
          risk: low
          reversible: false
      """;

  @Test
  void hashIsStableUnderCommentAndFormatChanges() {
    assertThat(Fixtures.parse(REFORMATTED).contentHash()).isEqualTo(Fixtures.parse(ORIGINAL).contentHash());
  }

  @Test
  void hashChangesWhenAnyValueChanges() {
    String hash = Fixtures.parse(ORIGINAL).contentHash();

    assertThat(Fixtures.parse(ORIGINAL.replace("http://x/pause", "http://x/pause2")).contentHash()).isNotEqualTo(hash);
    assertThat(Fixtures.parse(ORIGINAL.replace("ratio: 0.5", "ratio: 0.51")).contentHash()).isNotEqualTo(hash);
    assertThat(Fixtures.parse(ORIGINAL.replace("reversible: false", "reversible: false\n    idempotent: false"))
        .contentHash()).isNotEqualTo(hash);
    assertThat(Fixtures.parse(ORIGINAL.replace("title: Pause", "title: pause")).contentHash()).isNotEqualTo(hash);
  }

  @Test
  void sortsKeysRecursivelyAndNormalisesNumbers() throws Exception {
    String json = "{\"b\": 1.50, \"a\": [true, null, \"x\\u00e9\\n\"], \"c\": {\"z\": 1e2, \"y\": -0.0, \"x\": 10}}";

    assertThat(CanonicalJson.write(Json.MAPPER.readTree(json)))
        .isEqualTo("{\"a\":[true,null,\"xé\\n\"],\"b\":1.5,\"c\":{\"x\":10,\"y\":0,\"z\":100}}");
  }

  @Test
  void hashIsTheSha256OfTheCanonicalText() throws Exception {
    assertThat(CanonicalJson.sha256(Json.MAPPER.readTree("{}")))
        .isEqualTo("44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a");
  }
}
