package dev.rebound.incident;

import dev.rebound.yaml.PositionedYaml;
import dev.rebound.yaml.SourcePosition;
import dev.rebound.yaml.SourceText;
import dev.rebound.yaml.YamlProblem;
import dev.rebound.yaml.YamlSyntaxException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Reads incident files: markdown whose first line is {@code ---}, then YAML front matter, a line
 * {@code ---}, then the postmortem body. Problems name {@code file:line:col} in the file (the
 * YAML's positions shifted past the opening line). Blocking (reads files).
 */
public final class IncidentLoader {
  /** The incidents that loaded, and the problems of those that did not. */
  public record Loaded(List<Incident> incidents, List<YamlProblem> problems) {}

  /** Every {@code *.md} in {@code dir} (not recursive; a missing directory is no incidents). */
  public Loaded loadAll(Path dir) {
    List<Incident> incidents = new ArrayList<>();
    List<YamlProblem> problems = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return new Loaded(incidents, problems);
    }
    List<Path> files;
    try (Stream<Path> list = Files.list(dir)) {
      files = list.filter(p -> p.getFileName().toString().endsWith(".md") && Files.isRegularFile(p)).sorted().toList();
    } catch (IOException e) {
      problems.add(new YamlProblem(dir.toString(), SourcePosition.START, "cannot list directory: " + e.getMessage()));
      return new Loaded(incidents, problems);
    }
    for (Path file : files) {
      try {
        incidents.add(load(file));
      } catch (InvalidIncidentException e) {
        problems.addAll(e.positionedProblems());
      }
    }
    return new Loaded(incidents, problems);
  }

  /** @throws InvalidIncidentException with every problem, positioned */
  public Incident load(Path file) {
    String text;
    try {
      text = SourceText.read(file, file.toString());
    } catch (YamlSyntaxException e) {
      throw new InvalidIncidentException(List.of(e.problem()));
    }
    return parse(text, file.toString(), Optional.of(file.getFileName().toString()));
  }

  /**
   * {@code message} at the {@code id} field of {@code file} (at its start when the file does not
   * read): for what is wrong with an id beyond the file, such as a second file with the same one.
   */
  public YamlProblem problemAtId(Path file, String message) {
    try {
      return shifted(frontMatter(SourceText.read(file, file.toString()), file.toString()).tree()
          .problemAt("/id", message));
    } catch (YamlSyntaxException | InvalidIncidentException e) {
      return new YamlProblem(file.toString(), SourcePosition.START, message);
    }
  }

  /** Parses {@code text}; {@code name} is used in messages, {@code file} recorded on the incident. */
  public Incident parse(String text, String name, Optional<String> file) {
    FrontMatter front = frontMatter(text, name);
    PositionedYaml tree = front.tree();
    List<YamlProblem> problems = new ArrayList<>();
    IncidentFields.Problems sink = new IncidentFields.Problems() {
      @Override
      public void at(String pointer, String message) {
        problems.add(shifted(tree.problemAt(pointer, message)));
      }

      @Override
      public void atKey(String pointer, String message) {
        problems.add(shifted(tree.problemAtKey(pointer, message)));
      }
    };
    Optional<Incident> incident = IncidentFields.readFile(tree.root(), sink, front.body().strip(), file,
        java.time.Instant.now());
    if (incident.isEmpty()) {
      throw new InvalidIncidentException(problems);
    }
    return incident.get();
  }

  /** The front matter's YAML (positions from the line after the opening {@code ---}) and the body after it. */
  private record FrontMatter(PositionedYaml tree, String body) {}

  private static FrontMatter frontMatter(String text, String name) {
    String normalised = text.replace("\r\n", "\n");
    if (normalised.startsWith("\uFEFF")) {
      normalised = normalised.substring(1);
    }
    String[] lines = normalised.split("\n", -1);
    if (!lines[0].strip().equals("---")) {
      throw invalid(name, 1, 1, "an incident file starts with a line '---', then front matter (id, title, date, …), then '---'");
    }
    int close = -1;
    for (int i = 1; i < lines.length; i++) {
      if (lines[i].strip().equals("---")) {
        close = i;
        break;
      }
    }
    if (close < 0) {
      throw invalid(name, 1, 1, "front matter is not closed: add a line '---' after the last field");
    }
    String yaml = String.join("\n", java.util.Arrays.asList(lines).subList(1, close));
    String body = String.join("\n", java.util.Arrays.asList(lines).subList(close + 1, lines.length));
    try {
      return new FrontMatter(PositionedYaml.parse(yaml.isBlank() ? "{}" : yaml, name), body);
    } catch (YamlSyntaxException e) {
      throw new InvalidIncidentException(List.of(shifted(e.problem())));
    }
  }

  /** YAML positions count from the line after the opening {@code ---}. */
  private static YamlProblem shifted(YamlProblem p) {
    return new YamlProblem(p.file(), new SourcePosition(p.position().line() + 1, p.position().column()), p.message());
  }

  private static InvalidIncidentException invalid(String name, int line, int col, String message) {
    return new InvalidIncidentException(List.of(new YamlProblem(name, new SourcePosition(line, col), message)));
  }
}
