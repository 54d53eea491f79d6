package dev.rebound.retrieval;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a document into chunks: an overview chunk (title + keywords, or the first section when
 * there are no keywords), then each section, split at paragraph boundaries into pieces of at most
 * {@link #MAX_CHARS} characters. MiniLM's tokenizer keeps the first 128 word pieces of a text
 * (about 550 characters of runbook prose) and drops the rest: 44 of the benchmark's 452 runbook
 * chunks are longer (up to 231 pieces), so their tails reach the full-text side only.
 *
 * <p>Pure and deterministic. Bump {@link #VERSION} whenever the output for the same document
 * changes: it is part of every content hash, so the next index run re-embeds everything.
 */
public final class Chunker {
  public static final String VERSION = "chunker-2";
  static final int MAX_CHARS = 900;

  public List<Chunk> chunks(Document doc) {
    List<Chunk> out = new ArrayList<>();
    List<Section> sections = doc.sections();
    // Without keywords the first piece of the first section is the overview (a runbook page's
    // "Meaning", a doc's introduction) and is not repeated as a body chunk.
    boolean firstPieceIsOverview = doc.keywords().isEmpty() && !sections.isEmpty();
    String overview = doc.keywords();
    if (firstPieceIsOverview) {
      List<String> first = pieces(sections.get(0).text());
      overview = first.isEmpty() ? "" : first.get(0);
    }
    out.add(chunk(doc, 0, firstPieceIsOverview ? sections.get(0).heading() : "", overview));
    for (int i = 0; i < sections.size(); i++) {
      Section s = sections.get(i);
      List<String> pieces = pieces(s.text());
      for (int j = (i == 0 && firstPieceIsOverview) ? 1 : 0; j < pieces.size(); j++) {
        out.add(chunk(doc, out.size(), s.heading(), pieces.get(j)));
      }
    }
    return out;
  }

  private static Chunk chunk(Document doc, int ord, String heading, String body) {
    StringBuilder embed = new StringBuilder(doc.title());
    if (!heading.isEmpty()) {
      embed.append(". ").append(heading);
    }
    String prose = withoutCode(body);
    if (!prose.isBlank()) {
      embed.append(": ").append(prose);
    }
    return new Chunk(ord, heading, body, embed.toString().strip());
  }

  /** Paragraphs packed greedily up to MAX_CHARS; a longer paragraph is cut at sentence or word ends. */
  static List<String> pieces(String text) {
    List<String> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String paragraph : text.split("\\n\\s*\\n")) {
      String p = paragraph.strip();
      if (p.isEmpty()) {
        continue;
      }
      if (current.length() > 0 && current.length() + 2 + p.length() > MAX_CHARS) {
        out.add(current.toString());
        current.setLength(0);
      }
      while (p.length() > MAX_CHARS) {
        int cut = cutPoint(p);
        if (current.length() > 0) {
          out.add(current.toString());
          current.setLength(0);
        }
        out.add(p.substring(0, cut).strip());
        p = p.substring(cut).strip();
      }
      if (current.length() > 0) {
        current.append("\n\n");
      }
      current.append(p);
    }
    if (current.length() > 0) {
      out.add(current.toString());
    }
    return out;
  }

  private static int cutPoint(String p) {
    int sentence = p.lastIndexOf(". ", MAX_CHARS);
    if (sentence > MAX_CHARS / 2) {
      return sentence + 1;
    }
    int space = p.lastIndexOf(' ', MAX_CHARS);
    return space > MAX_CHARS / 2 ? space : MAX_CHARS;
  }

  /** Drops fenced code blocks and indented code lines; keeps prose and inline code. */
  static String withoutCode(String text) {
    StringBuilder sb = new StringBuilder();
    boolean fenced = false;
    for (String line : text.split("\\n", -1)) {
      if (line.strip().startsWith("```")) {
        fenced = !fenced;
        continue;
      }
      if (fenced || line.startsWith("    ") || line.startsWith("\t")) {
        continue;
      }
      sb.append(line).append('\n');
    }
    return sb.toString().replaceAll("[ \\t]+", " ").replaceAll("\\n{2,}", "\n").strip();
  }
}
