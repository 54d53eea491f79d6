package dev.rebound.retrieval;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ChunkerTest {
  private final Chunker chunker = new Chunker();

  @Test
  void keywords_make_the_overview_chunk_and_every_section_follows_with_title_context() {
    Document doc = new Document(DocKind.RUNBOOK, "r", "Restore the feature store", "Stale features.",
        List.of(new Section("Step 1: Pause", "Pause ingestion."), new Section("Step 2: Restore", "Restore it.")), "r.yaml");

    List<Chunk> chunks = chunker.chunks(doc);

    assertThat(chunks).extracting(Chunk::body).containsExactly("Stale features.", "Pause ingestion.", "Restore it.");
    assertThat(chunks.get(1).embedText()).isEqualTo("Restore the feature store. Step 1: Pause: Pause ingestion.");
    assertThat(chunks).extracting(Chunk::ord).containsExactly(0, 1, 2);
  }

  @Test
  void without_keywords_the_first_piece_is_the_overview_and_not_repeated() {
    Document doc = Markdown.document(DocKind.DOC, "d", null, "# Title\n\n## Meaning\n\nIt broke.\n\n## Fix\n\nFix it.", "d.md");

    assertThat(chunker.chunks(doc)).extracting(Chunk::body).containsExactly("It broke.", "Fix it.");
    assertThat(doc.title()).isEqualTo("Title");
  }

  @Test
  void long_sections_are_split_under_the_limit_and_code_is_not_embedded() {
    String paragraph = "word ".repeat(150).strip();
    String text = paragraph + "\n\n```\nkubectl get pods\n```\n\n" + paragraph;
    Document doc = new Document(DocKind.DOC, "d", "T", "k", List.of(new Section("S", text)), "d.md");

    List<Chunk> chunks = chunker.chunks(doc);

    assertThat(chunks).hasSizeGreaterThan(2);
    assertThat(chunks).allSatisfy(c -> assertThat(c.body().length()).isLessThanOrEqualTo(Chunker.MAX_CHARS));
    assertThat(chunks).noneSatisfy(c -> assertThat(c.embedText()).contains("kubectl"));
  }

  @Test
  void the_content_hash_changes_with_content_and_chunker_version_only() {
    Document a = new Document(DocKind.DOC, "d", "T", "k", List.of(new Section("S", "x")), "d.md");
    Document same = new Document(DocKind.DOC, "d", "T", "k", List.of(new Section("S", "x")), "d.md");
    Document moved = new Document(DocKind.DOC, "d", "T", "k", List.of(new Section("Sx", "")), "d.md");

    assertThat(a.contentHash("v1")).isEqualTo(same.contentHash("v1")).isNotEqualTo(a.contentHash("v2"));
    assertThat(a.contentHash("v1")).isNotEqualTo(moved.contentHash("v1"));
  }
}
