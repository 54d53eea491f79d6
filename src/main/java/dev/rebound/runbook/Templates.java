package dev.rebound.runbook;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds template references in a string. The grammar is deliberately tiny: a template is a
 * reference and nothing else, so there is nothing to evaluate and nothing to inject. Any other
 * {@code {{…}}} (an expression, a filter, a typo) or an unclosed {@code {{} is reported as
 * invalid rather than passed through, so a typo cannot reach production as literal text.
 */
public final class Templates {
  private static final Pattern REF =
      Pattern.compile(
          "\\s*(?:params\\.([A-Za-z_][A-Za-z0-9_]*)"
              + "|env\\.([A-Za-z_][A-Za-z0-9_]*)"
              + "|steps\\.([a-z0-9][a-z0-9_-]*)\\.output\\.([A-Za-z0-9_][A-Za-z0-9_-]*))\\s*");

  private Templates() {}

  /** A piece of a templated string: literal text, a reference, or an invalid {@code {{…}}}. */
  record Part(String literal, TemplateRef ref, String invalid) {
    boolean isRef() {
      return ref != null;
    }
  }

  /** All valid references in order of appearance. */
  public static List<TemplateRef> references(String s) {
    List<TemplateRef> out = new ArrayList<>();
    for (Part part : parse(s)) {
      if (part.isRef()) {
        out.add(part.ref());
      }
    }
    return out;
  }

  /** Every {@code {{…}}} that is not a valid reference, and an unclosed {@code {{} tail. */
  public static List<String> invalid(String s) {
    List<String> out = new ArrayList<>();
    for (Part part : parse(s)) {
      if (part.invalid() != null) {
        out.add(part.invalid());
      }
    }
    return out;
  }

  public static boolean hasTemplates(String s) {
    return s.contains("{{");
  }

  static List<Part> parse(String s) {
    List<Part> parts = new ArrayList<>();
    int at = 0;
    while (at < s.length()) {
      int open = s.indexOf("{{", at);
      if (open < 0) {
        parts.add(new Part(s.substring(at), null, null));
        break;
      }
      if (open > at) {
        parts.add(new Part(s.substring(at, open), null, null));
      }
      int close = s.indexOf("}}", open + 2);
      if (close < 0) {
        parts.add(new Part(null, null, s.substring(open)));
        break;
      }
      String text = s.substring(open, close + 2);
      TemplateRef ref = reference(s.substring(open + 2, close), text);
      parts.add(ref != null ? new Part(null, ref, null) : new Part(null, null, text));
      at = close + 2;
    }
    return parts;
  }

  private static TemplateRef reference(String inner, String text) {
    Matcher m = REF.matcher(inner);
    if (!m.matches()) {
      return null;
    }
    if (m.group(1) != null) {
      return new TemplateRef(TemplateRef.Kind.PARAM, m.group(1), null, text);
    }
    if (m.group(2) != null) {
      return new TemplateRef(TemplateRef.Kind.ENV, m.group(2), null, text);
    }
    return new TemplateRef(TemplateRef.Kind.STEP_OUTPUT, m.group(3), m.group(4), text);
  }
}
