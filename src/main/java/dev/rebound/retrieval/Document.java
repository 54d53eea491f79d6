package dev.rebound.retrieval;

import dev.rebound.digest.Sha256;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * One searchable thing before chunking: a runbook, a knowledge doc, an asset, an incident.
 *
 * @param title the strongest field (full-text weight A, and the prefix of every chunk's
 *     embedded text so a chunk keeps its context)
 * @param keywords summary, symptoms, aliases: weight B, and part of the first chunk
 * @param sections the body, weight C, one or more chunks each
 * @param source where it came from, shown to people (a file name, {@code api})
 */
public record Document(DocKind kind, String id, String title, String keywords, List<Section> sections, String source) {
  public Document {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(id, "id");
    title = Objects.requireNonNullElse(title, "").strip();
    keywords = Objects.requireNonNullElse(keywords, "").strip();
    sections = List.copyOf(sections);
    source = Objects.requireNonNullElse(source, "");
  }

  public DocKey key() {
    return new DocKey(kind, id);
  }

  /** The body as one text (sections with their headings), for full text. */
  public String bodyText() {
    StringBuilder sb = new StringBuilder();
    for (Section s : sections) {
      if (!s.heading().isEmpty()) {
        sb.append(s.heading()).append('\n');
      }
      sb.append(s.text()).append("\n\n");
    }
    return sb.toString().strip();
  }

  /**
   * sha256 over everything chunks and full text are made from, plus {@code chunkerVersion}:
   * equal hashes mean re-indexing would produce the same rows, so nothing is embedded.
   */
  public String contentHash(String chunkerVersion) {
    MessageDigest sha = Sha256.newDigest();
    for (String part : parts(chunkerVersion)) {
      byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
      // Length-prefixed, so moving text between fields changes the hash.
      sha.update(Integer.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
      sha.update((byte) ':');
      sha.update(bytes);
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  private List<String> parts(String chunkerVersion) {
    java.util.ArrayList<String> parts = new java.util.ArrayList<>(
        List.of(chunkerVersion, kind.wireName(), id, title, keywords, source));
    for (Section s : sections) {
      parts.add(s.heading());
      parts.add(s.text());
    }
    return parts;
  }
}
