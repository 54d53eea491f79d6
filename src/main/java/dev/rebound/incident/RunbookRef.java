package dev.rebound.incident;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A runbook as an incident cites it: {@code feature-store-restore@1} (the version may be missing). */
public record RunbookRef(String id, Optional<Integer> version) {
  private static final Pattern FORM = Pattern.compile("([a-z0-9][a-z0-9-]*)(?:@v?([0-9]{1,9}))?");

  public static Optional<RunbookRef> parse(String text) {
    Matcher m = FORM.matcher(text.strip());
    if (!m.matches()) {
      return Optional.empty();
    }
    return Optional.of(new RunbookRef(m.group(1), Optional.ofNullable(m.group(2)).map(Integer::parseInt)));
  }

  @Override
  public String toString() {
    return version.map(v -> id + "@" + v).orElse(id);
  }
}
