package dev.rebound.demo;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The RAG service's seed content (class-path {@code demo/knowledge-base.json}): about sixty
 * articles drawn from the platform's own operating docs, incidents and runbooks, the articles the
 * {@code kb-drift} fault adds, and the twenty questions of the synthetic traffic, each answered by
 * the knowledge base.
 */
final class KnowledgeBase {
  /** One source document. */
  record Article(String docId, String title, String content) {
    String sha256() {
      return KnowledgeBase.sha256(content);
    }
  }

  private final List<Article> articles;
  private final List<Article> added;
  private final List<String> questions;

  private KnowledgeBase(List<Article> articles, List<Article> added, List<String> questions) {
    this.articles = List.copyOf(articles);
    this.added = List.copyOf(added);
    this.questions = List.copyOf(questions);
  }

  static KnowledgeBase load() {
    JsonObject json = new JsonObject(DemoDb.resource("knowledge-base.json"));
    List<String> questions = new ArrayList<>();
    json.getJsonArray("questions").forEach(q -> questions.add((String) q));
    return new KnowledgeBase(articles(json.getJsonArray("articles")), articles(json.getJsonArray("added_articles")),
        questions);
  }

  private static List<Article> articles(JsonArray array) {
    List<Article> out = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      JsonObject a = array.getJsonObject(i);
      out.add(new Article(a.getString("doc_id"), a.getString("title"), a.getString("content")));
    }
    return out;
  }

  List<Article> articles() {
    return articles;
  }

  /** What the {@code kb-drift} fault adds to the knowledge base. */
  List<Article> added() {
    return added;
  }

  List<String> questions() {
    return questions;
  }

  static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Chunks of at most {@code max} characters, split after whitespace, without overlap: the chunks
   * concatenated in order are exactly {@code content}. A run of {@code max} characters with no
   * whitespace is cut where it is.
   */
  static List<String> chunks(String content, int max) {
    List<String> out = new ArrayList<>();
    int start = 0;
    while (content.length() - start > max) {
      int end = start + max;
      int split = -1;
      for (int i = end; i > start; i--) {
        if (Character.isWhitespace(content.charAt(i - 1))) {
          split = i;
          break;
        }
      }
      if (split <= start) {
        split = end;
      }
      out.add(content.substring(start, split));
      start = split;
    }
    if (start < content.length() || out.isEmpty()) {
      out.add(content.substring(start));
    }
    return out;
  }
}
