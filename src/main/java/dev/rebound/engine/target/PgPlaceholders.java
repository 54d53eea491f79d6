package dev.rebound.engine.target;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runbook SQL uses PostgreSQL's own placeholders ({@code $1}, {@code $2}…, as the format and the
 * Vert.x client do); the JDBC driver only understands {@code ?}. This rewrites each {@code $n}
 * outside literals, quoted identifiers, dollar-quoted bodies and comments to {@code ?} and
 * remembers which argument it stands for (the same {@code $1} twice binds the same value twice),
 * and escapes a {@code ?} in code (the jsonb operators {@code ?}, {@code ?|}, {@code ?&}) as
 * {@code ??} so the driver does not take it for a placeholder. Nothing else in the text changes:
 * values still travel only as bind parameters.
 */
final class PgPlaceholders {
  private static final Pattern DOLLAR_TAG = Pattern.compile("\\$([A-Za-z_\\u0080-\\uffff][A-Za-z0-9_\\u0080-\\uffff]*)?\\$");

  private PgPlaceholders() {}

  /** {@code jdbcSql} with {@code ?}s; {@code argNumbers[i]} is the 1-based {@code $n} of the i-th {@code ?}. */
  record Translated(String jdbcSql, int[] argNumbers) {}

  static Translated translate(String sql) {
    StringBuilder out = new StringBuilder(sql.length() + 8);
    List<Integer> numbers = new ArrayList<>();
    int n = sql.length();
    int i = 0;
    while (i < n) {
      char c = sql.charAt(i);
      char next = i + 1 < n ? sql.charAt(i + 1) : '\0';
      int end;
      if (c == '\'') {
        end = endOfQuoted(sql, i, '\'', isEscapeString(sql, i));
      } else if (c == '"') {
        end = endOfQuoted(sql, i, '"', false);
      } else if (c == '-' && next == '-') {
        int newline = sql.indexOf('\n', i);
        end = newline < 0 ? n : newline + 1;
      } else if (c == '/' && next == '*') {
        end = endOfBlockComment(sql, i);
      } else if (c == '$' && Character.isDigit(next) && !continuesIdentifier(sql, i)) {
        int j = i + 1;
        while (j < n && Character.isDigit(sql.charAt(j))) {
          j++;
        }
        numbers.add(Integer.parseInt(sql.substring(i + 1, Math.min(j, i + 10))));
        out.append('?');
        i = j;
        continue;
      } else if (c == '$' && !continuesIdentifier(sql, i)) {
        Matcher tag = DOLLAR_TAG.matcher(sql).region(i, n);
        if (tag.lookingAt()) {
          int close = sql.indexOf(tag.group(), tag.end());
          end = close < 0 ? n : close + tag.group().length();
        } else {
          end = i + 1;
        }
      } else if (c == '?') {
        out.append("??");
        i++;
        continue;
      } else {
        end = i + 1;
      }
      out.append(sql, i, end);
      i = end;
    }
    return new Translated(out.toString(), numbers.stream().mapToInt(Integer::intValue).toArray());
  }

  /** {@code E'...'} (or {@code e'...'}) not preceded by an identifier character: backslash escapes. */
  private static boolean isEscapeString(String sql, int quote) {
    if (quote == 0) {
      return false;
    }
    char prefix = sql.charAt(quote - 1);
    return (prefix == 'E' || prefix == 'e') && !continuesIdentifier(sql, quote - 1);
  }

  /** Whether the character at {@code i} continues an identifier (PostgreSQL allows {@code $} in them). */
  private static boolean continuesIdentifier(String sql, int i) {
    if (i == 0) {
      return false;
    }
    char before = sql.charAt(i - 1);
    return Character.isLetterOrDigit(before) || before == '_' || before == '$';
  }

  private static int endOfQuoted(String sql, int start, char quote, boolean backslashEscapes) {
    int i = start + 1;
    while (i < sql.length()) {
      char c = sql.charAt(i);
      if (backslashEscapes && c == '\\') {
        i += 2;
      } else if (c == quote) {
        if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
          i += 2;
        } else {
          return i + 1;
        }
      } else {
        i++;
      }
    }
    return sql.length();
  }

  private static int endOfBlockComment(String sql, int start) {
    int depth = 0;
    int i = start;
    while (i < sql.length()) {
      if (sql.startsWith("/*", i)) {
        depth++;
        i += 2;
      } else if (sql.startsWith("*/", i)) {
        depth--;
        i += 2;
        if (depth == 0) {
          return i;
        }
      } else {
        i++;
      }
    }
    return sql.length();
  }
}
