package dev.rebound.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The demo's code against its contract, knowledge/docs/demo-platform.md, without a database. */
class DemoContractTest {
  private static final String DOC = read("knowledge/docs/demo-platform.md");

  @Test
  void schemaScriptHoldsEveryContractBlockVerbatim() {
    String schema = DemoDb.resource("schema.sql");
    Matcher blocks = Pattern.compile("```sql\n(.*?)```", Pattern.DOTALL).matcher(DOC);
    int n = 0;
    while (blocks.find()) {
      assertThat(schema).as("contract block %d", n + 1).contains(blocks.group(1));
      n++;
    }
    assertThat(n).isEqualTo(4);
  }

  @Test
  void faultTableNamesEveryFaultAndItsRunbook() {
    String table = DOC.substring(DOC.indexOf("## Faults"));
    Matcher rows = Pattern.compile("^\\| `([a-z-]+)` \\|.*\\| ([a-z-]+)[^|]*\\|$", Pattern.MULTILINE).matcher(table);
    List<String> documented = new ArrayList<>();
    while (rows.find()) {
      documented.add(rows.group(1));
      assertThat(Fault.byId(rows.group(1))).as(rows.group(1)).isPresent();
      assertThat(Fault.byId(rows.group(1)).orElseThrow().healedBy()).isEqualTo(rows.group(2));
    }
    assertThat(documented).containsExactlyInAnyOrderElementsOf(Arrays.stream(Fault.values()).map(Fault::id).toList());
  }

  @Test
  void datasetPartsAndManifestsHaveTheContractsHashes() {
    Map<String, String> manifests = Map.of(
        "snap-2c9d4b17", "698764fd81416f381d176bf3769b07629fc85a158d47c08b7b77ace8c835a0a8",
        "snap-5e1f0c2a", "c6f9deb377e6fd1e89665856f18ce7406e4939ac8702747024c9e0b7fcad66ce",
        "snap-7a41e9d3", "1f9046aeb33a8972aa1084670bceba956a392d3ae40a4c290108685fcfc6e3d2");
    for (DemoFiles.Snapshot s : DemoFiles.SNAPSHOTS) {
      assertThat(DemoFiles.sha256(DemoFiles.manifest(DemoFiles.parts(s)))).as(s.id()).isEqualTo(manifests.get(s.id()));
    }
    assertThat(new String(DemoFiles.partBytes("ranker-training", 5, 5), StandardCharsets.US_ASCII))
        .isEqualTo("example_id,user_id,item_id,label\n5,u035,it0065,1\n");
    assertThat(new String(DemoFiles.partBytes("fraud-training", 37, 37), StandardCharsets.US_ASCII))
        .isEqualTo("txn_id,account_id,amount_cents,label\n37,a036,14023,1\n");
    assertThat(DemoFiles.sha256(DemoFiles.modelBytes("ranker", "12")))
        .isEqualTo("1f6cc03f4e104254e551d463c4a37e241703d23aba179b04e1c64a926db4c515");
  }

  @Test
  void chunksNeverOverlapAndRespectTheLimit() {
    for (KnowledgeBase.Article a : KnowledgeBase.load().articles()) {
      List<String> chunks = KnowledgeBase.chunks(a.content(), RagIndexer.CHUNK_CHARS);
      assertThat(String.join("", chunks)).isEqualTo(a.content());
      assertThat(chunks).allMatch(c -> c.length() <= RagIndexer.CHUNK_CHARS && !c.isEmpty());
    }
    assertThat(KnowledgeBase.chunks("x".repeat(1700), 800)).extracting(String::length).containsExactly(800, 800, 100);
    assertThat(KnowledgeBase.chunks("aaa bbb ccc", 5)).containsExactly("aaa ", "bbb ", "ccc");
  }

  @Test
  void knowledgeBaseHasAboutSixtyArticlesAndTwentyQuestions() {
    KnowledgeBase kb = KnowledgeBase.load();
    assertThat(kb.articles()).hasSize(60);
    assertThat(kb.added()).hasSize(3);
    assertThat(kb.questions()).hasSize(20);
    List<String> ids = kb.articles().stream().map(KnowledgeBase.Article::docId).toList();
    assertThat(ids).containsAll(Faults.EDITED_DOCS).containsAll(Faults.DELETED_DOCS).doesNotHaveDuplicates();
  }

  private static String read(String path) {
    try {
      return Files.readString(DemoFixture.REPO.resolve(path));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
