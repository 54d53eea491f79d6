package dev.rebound.agent;

import dev.rebound.digest.Sha256;
import dev.rebound.error.UnavailableException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A prompt from {@code prompts/} ({@code system.md}, {@code postmortem.md}), read once at start.
 * Its version is the {@code version:} in the file's leading comment plus the first 12 hex digits
 * of the file's sha256 ({@code system@1+3f2a…}), recorded with every model call, so an audit entry names the exact text the model saw.
 * The leading comment is for maintainers and is not sent. {@code {{incident_id}}} is the only
 * placeholder.
 */
final class Prompt {
  static final String SYSTEM = "system.md";
  static final String POSTMORTEM = "postmortem.md";
  private static final Pattern HEADER = Pattern.compile("\\A\\s*<!--(.*?)-->\\s*", Pattern.DOTALL);
  private static final Pattern VERSION = Pattern.compile("version:\\s*([0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*)");

  private final String text;
  private final String version;

  private Prompt(String text, String version) {
    this.text = text;
    this.version = version;
  }

  /** Blocking (reads a file). @throws UnavailableException when the file cannot be read */
  static Prompt load(Path promptsDir, String name) {
    Path file = promptsDir.resolve(name);
    String raw;
    try {
      raw = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UnavailableException("the prompt " + file + " cannot be read: " + e.getMessage(), e);
    }
    return parse(name.replaceFirst("\\.md$", ""), raw);
  }

  static Prompt parse(String name, String raw) {
    String body = raw;
    String declared = "0";
    Matcher header = HEADER.matcher(raw);
    if (header.find()) {
      Matcher v = VERSION.matcher(header.group(1));
      if (v.find()) {
        declared = v.group(1);
      }
      body = raw.substring(header.end());
    }
    return new Prompt(body.strip(), name + "@" + declared + "+" + Sha256.hex(raw).substring(0, 12));
  }

  String version() {
    return version;
  }

  String render(String incidentId) {
    return text.replace("{{incident_id}}", incidentId);
  }
}
