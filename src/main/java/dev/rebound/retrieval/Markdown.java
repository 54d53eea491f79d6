package dev.rebound.retrieval;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Markdown split by headings (levels 1–4) into {@link Section}s. A level-1 heading becomes the
 * title when none is given. Headings inside fenced code are text. Pure.
 */
public final class Markdown {
  private static final Pattern HEADING = Pattern.compile("^(#{1,4})\\s+(.+?)\\s*#*\\s*$");

  private Markdown() {}

  /** A parsed page: its title (first level-1 heading, or empty) and its sections. */
  public record Page(String title, List<Section> sections) {}

  public static Page parse(String text) {
    List<Section> sections = new ArrayList<>();
    String title = "";
    String heading = "";
    StringBuilder body = new StringBuilder();
    boolean fenced = false;
    for (String line : text.split("\\R", -1)) {
      if (line.strip().startsWith("```")) {
        fenced = !fenced;
      }
      Matcher m = fenced ? null : HEADING.matcher(line);
      if (m != null && m.matches()) {
        add(sections, heading, body);
        body.setLength(0);
        if (m.group(1).length() == 1 && title.isEmpty()) {
          title = m.group(2).strip();
          heading = "";
        } else {
          heading = m.group(2).strip();
        }
        continue;
      }
      body.append(line).append('\n');
    }
    add(sections, heading, body);
    return new Page(title, sections);
  }

  /** A document of {@code kind} from a markdown page; {@code title} wins over the page's own. */
  public static Document document(DocKind kind, String id, String title, String text, String source) {
    Page page = parse(text);
    String t = title == null || title.isBlank() ? (page.title().isEmpty() ? id : page.title()) : title;
    return new Document(kind, id, t, "", page.sections(), source);
  }

  private static void add(List<Section> sections, String heading, StringBuilder body) {
    String text = body.toString().strip();
    if (!text.isEmpty()) {
      sections.add(new Section(heading, text));
    }
  }
}
