package dev.rebound.retrieval.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rebound.retrieval.DocKind;
import dev.rebound.retrieval.Document;
import dev.rebound.retrieval.Markdown;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The alert-to-runbook data set: {@code runbooks.jsonl} and {@code queries.jsonl}. Only a
 * query's {@code text} and {@code description} reach a retriever; its {@code runbook_id} is the
 * answer key and its alert name is not in the file's texts.
 */
public record AlertRunbookData(List<Runbook> runbooks, List<Query> queries) {
  public record Runbook(String id, String title, String text) {
    public Document document() {
      return Markdown.document(DocKind.RUNBOOK, id, title, text, "runbooks.jsonl");
    }
  }

  public record Query(String qid, String text, String description, String answer) {}

  public static AlertRunbookData load(Path dir) throws IOException {
    ObjectMapper json = new ObjectMapper();
    List<Runbook> runbooks = new ArrayList<>();
    for (String line : Files.readAllLines(dir.resolve("runbooks.jsonl"))) {
      if (!line.isBlank()) {
        JsonNode n = json.readTree(line);
        runbooks.add(new Runbook(n.get("id").asText(), n.get("title").asText(), n.get("text").asText()));
      }
    }
    List<Query> queries = new ArrayList<>();
    for (String line : Files.readAllLines(dir.resolve("queries.jsonl"))) {
      if (!line.isBlank()) {
        JsonNode n = json.readTree(line);
        queries.add(new Query(n.get("qid").asText(), n.get("text").asText(), n.get("description").asText(),
            n.get("runbook_id").asText()));
      }
    }
    return new AlertRunbookData(runbooks, queries);
  }
}
