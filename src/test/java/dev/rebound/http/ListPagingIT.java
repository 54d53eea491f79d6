package dev.rebound.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rebound.inventory.Role;
import dev.rebound.testing.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lists that grow without bound, {@code GET /api/incidents} and {@code GET /api/chat}, a page
 * at a time: walking {@code next} gives the whole list once, in order (incidents with their
 * {@code total}, which counts every page); bad paging values are 400s naming the parameter. A
 * database of its own: the incidents and messages here would otherwise become the similar
 * incidents of other tests.
 */
@ExtendWith(VertxExtension.class)
class ListPagingIT {
  @RegisterExtension static final TestDatabase db = TestDatabase.create();
  @TempDir static Path tempDir;

  private static ServiceUnderTest service;
  private static String viewer;
  private static String responder;

  @BeforeAll
  static void startService(Vertx vertx) throws Exception {
    service = ServiceUnderTest.start(vertx, db, tempDir);
    viewer = service.token("grace", Role.VIEWER);
    responder = service.token("dmitri", Role.RESPONDER);
  }

  @AfterAll
  static void stopService() throws Exception {
    service.stop();
  }

  @Test
  void the_incident_list_comes_a_page_at_a_time_and_next_leads_to_the_older_ones() throws Exception {
    for (int i = 1; i <= 3; i++) {
      // The first names an asset, the others none: a filter that keeps some of them.
      assertThat(service.post("/api/incidents", responder, new JsonObject().put("id", "INC-P-" + i)
          .put("title", "Paging incident " + i).put("date", "2024-01-0" + i).put("severity", "sev3")
          .put("assets", i == 1 ? new JsonArray().add("features.online") : new JsonArray()))
          .statusCode()).isEqualTo(201);
    }
    JsonObject whole = service.get("/api/incidents?limit=200", viewer).bodyAsJsonObject();
    List<String> all = ids(whole.getJsonArray("incidents"), "id");
    assertThat(all).hasSizeGreaterThanOrEqualTo(3).hasSizeLessThan(200);
    assertThat(whole.getValue("next")).isNull();
    assertThat(whole.getInteger("total")).isEqualTo(all.size());
    long naming = whole.getJsonArray("incidents").stream()
        .filter(i -> ((JsonObject) i).getJsonArray("assets").contains("features.online")).count();
    assertThat(naming).as("some name the asset, some not").isBetween(1L, all.size() - 1L);
    assertThat(service.get("/api/incidents?asset=features.online&limit=1", viewer).bodyAsJsonObject().getLong("total"))
        .as("the total counts what the filters keep, on all pages").isEqualTo(naming);
    assertThat(ids(service.get("/api/incidents", viewer).bodyAsJsonObject().getJsonArray("incidents"), "id"))
        .as("default limit 50").isEqualTo(all.subList(0, Math.min(50, all.size())));

    List<String> paged = new ArrayList<>();
    String next = null;
    int pages = 0;
    do {
      JsonObject page = service.get("/api/incidents?limit=2" + (next == null ? "" : "&before=" + q(next)), viewer)
          .bodyAsJsonObject();
      List<String> these = ids(page.getJsonArray("incidents"), "id");
      assertThat(these).hasSizeBetween(1, 2);
      paged.addAll(these);
      next = page.getString("next");
      assertThat(next).isIn(null, these.get(these.size() - 1));
      assertThat(page.getInteger("total")).as("every page's total").isEqualTo(all.size());
      pages++;
    } while (next != null && pages < 200);
    assertThat(paged).isEqualTo(all);

    assertBadRequest("/api/incidents?limit=0", "limit must be a number from 1 to 200, got '0'");
    assertBadRequest("/api/incidents?limit=201", "limit must be a number from 1 to 200, got '201'");
    assertBadRequest("/api/incidents?limit=ten", "limit must be a number from 1 to 200, got 'ten'");
    assertBadRequest("/api/incidents?before=", "before is empty: give the next of the page before, or leave it out");
    assertBadRequest("/api/incidents?before=INC-NOPE", "before must be the next of the page before (an incident id),"
        + " got 'INC-NOPE', which names no incident");
  }

  @Test
  void a_conversation_comes_a_page_at_a_time_latest_first_and_next_leads_to_the_earlier_messages() throws Exception {
    assertThat(service.post("/api/incidents", responder, new JsonObject().put("id", "INC-CHAT-P")
        .put("title", "Online features stale").put("severity", "sev2")).statusCode()).isEqualTo(201);
    for (int i = 1; i <= 3; i++) {
      HttpResponse<Buffer> reply = service.post("/api/chat", responder,
          new JsonObject().put("incident_id", "INC-CHAT-P").put("message", "question " + i));
      assertThat(reply.statusCode()).as(reply.bodyAsString()).isEqualTo(200);
    }
    JsonObject whole = service.get("/api/chat?incident_id=INC-CHAT-P&limit=200", viewer).bodyAsJsonObject();
    JsonArray messages = whole.getJsonArray("messages");
    assertThat(messages.size()).isGreaterThanOrEqualTo(6);
    assertThat(whole.getValue("next")).isNull();
    List<Integer> seqs = messages.stream().map(m -> ((JsonObject) m).getInteger("seq")).toList();
    assertThat(seqs).isEqualTo(IntStream.rangeClosed(1, messages.size()).boxed().toList());

    List<String> paged = new ArrayList<>();
    Integer next = null;
    int pages = 0;
    do {
      JsonObject page = service.get("/api/chat?incident_id=INC-CHAT-P&limit=4"
          + (next == null ? "" : "&before=" + next), viewer).bodyAsJsonObject();
      JsonArray these = page.getJsonArray("messages");
      assertThat(these.size()).isBetween(1, 4);
      paged.addAll(0, ids(these, "content"));
      next = page.getInteger("next");
      assertThat(next).isIn(null, these.getJsonObject(0).getInteger("seq"));
      pages++;
    } while (next != null && pages < 100);
    assertThat(paged).isEqualTo(ids(messages, "content"));

    assertBadRequest("/api/chat?incident_id=INC-CHAT-P&limit=500", "limit must be a number from 1 to 200, got '500'");
    assertBadRequest("/api/chat?incident_id=INC-CHAT-P&before=0",
        "before must be the next of the page before (a message seq, 1 or more), got '0'");
    assertBadRequest("/api/chat?incident_id=INC-CHAT-P&page=2",
        "unknown parameter 'page' (known: incident_id, limit, before)");
  }

  private static List<String> ids(JsonArray items, String field) {
    return items.stream().map(i -> ((JsonObject) i).getString(field)).toList();
  }

  private static String q(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  private static void assertBadRequest(String path, String message) throws Exception {
    HttpResponse<Buffer> res = service.get(path, viewer);
    assertThat(res.statusCode()).as(path + ": " + res.bodyAsString()).isEqualTo(400);
    assertThat(res.bodyAsJsonObject().getJsonObject("error").encode()).as(path).contains(message);
  }
}
