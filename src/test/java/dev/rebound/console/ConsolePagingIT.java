package dev.rebound.console;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.rebound.testing.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The lists the API answers a page at a time (50 by default), in Debian's Chromium, past their
 * first page: the incident list and an asset's incidents ("Show older"), and an incident's chat
 * ("Show earlier messages"). What the console shows is checked against the whole list as the API
 * gives it. A database of its own: these incidents would crowd the similar incidents of other tests.
 */
class ConsolePagingIT {
  private static final int REPORTED = 55;
  private static final int CHAT_TURNS = 26;
  private static final String ASSET = "serving.primary";
  private static final String CHAT_INCIDENT = "INC-PAGING-CHAT";

  @RegisterExtension @Order(1) static final TestDatabase db = TestDatabase.create();
  @RegisterExtension @Order(2) static final ConsoleSession console = new ConsoleSession(db);
  static RecoveryStack stack;

  @BeforeAll
  static void reportMoreThanAPage() throws Exception {
    stack = console.stack();
    for (int i = 1; i <= REPORTED; i++) {
      String n = String.format("%02d", i);
      RecoveryStack.Reply r = stack.api("dmitri", "/api/incidents", Map.of("id", "INC-PAGING-" + n,
          "title", "Ranker p99 latency spike " + n, "date", "2026-01-01T10:" + n + ":00Z", "severity", "sev3",
          "assets", List.of(ASSET)));
      assertThat(r.status()).as(r.json().toString()).isEqualTo(201);
    }
    RecoveryStack.Reply chatIncident = stack.api("dmitri", "/api/incidents", Map.of("id", CHAT_INCIDENT,
        "title", "Online features stale", "date", "2025-12-01T09:00:00Z", "severity", "sev2"));
    assertThat(chatIncident.status()).as(chatIncident.json().toString()).isEqualTo(201);
    for (int i = 1; i <= CHAT_TURNS; i++) {
      RecoveryStack.Reply r = stack.api("dmitri", "/api/chat", Map.of("incident_id", CHAT_INCIDENT,
          "message", String.format("question %02d", i)));
      assertThat(r.status()).as(r.json().toString()).isEqualTo(200);
    }
  }

  @Test
  void the_incident_list_shows_the_newest_page_then_older_ones_on_request_each_once_and_counts_them_all()
      throws Exception {
    JsonNode whole = stack.api("grace", "/api/incidents?limit=200", null).json();
    List<String> expected = values(whole.path("incidents"), "id", i -> true);
    long notResolved = values(whole.path("incidents"), "id", i -> !i.path("status").asText().equals("resolved")).size();
    assertThat(expected).hasSizeBetween(REPORTED + 1, 100); // more than one page, at most two
    Page grace = console.signIn("grace");
    grace.navigate(stack.url() + "/#/incidents");

    Locator ids = grace.locator("table.list tbody tr td:first-child a");
    assertThat(ids).hasCount(50);
    assertThat(grace.locator("main .heading + p.muted"))
        .hasText(notResolved + " not resolved, " + expected.size() + " in all, newest first.");
    Locator older = grace.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Show older"));
    older.focus();
    grace.keyboard().press("Enter");

    assertThat(ids).hasCount(expected.size());
    assertThat(ids.allTextContents()).as("every incident once, newest first").isEqualTo(expected);
    assertThat(older).hasCount(0);
    // Pressed from the keyboard: the button went, and focus went on to the first incident it brought.
    assertThat(ids.nth(50)).isFocused();
  }

  @Test
  void an_assets_incidents_show_older_ones_on_request_each_once() throws Exception {
    JsonNode whole = stack.api("grace", "/api/incidents?limit=200&asset=" + ASSET, null).json();
    List<String> expected = values(whole.path("incidents"), "id", i -> true);
    assertThat(expected).hasSizeBetween(REPORTED, 100);
    Page grace = console.signIn("grace");
    grace.navigate(stack.url() + "/#/assets/" + ASSET);

    Locator named = grace.locator("section").filter(new Locator.FilterOptions().setHasText("Incidents that named it"));
    Locator ids = named.locator("tbody tr td:first-child a");
    assertThat(ids).hasCount(50);
    assertThat(named.locator("p.muted").first()).hasText(expected.size() + " incidents, newest first.");
    named.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Show older")).click();

    assertThat(ids).hasCount(expected.size());
    assertThat(ids.allTextContents()).isEqualTo(expected);
    assertThat(named.getByRole(AriaRole.BUTTON)).hasCount(0);
  }

  @Test
  void the_chat_shows_the_latest_messages_then_earlier_ones_on_request_each_once_in_order() throws Exception {
    JsonNode whole = stack.api("grace", "/api/chat?limit=200&incident_id=" + CHAT_INCIDENT, null).json();
    JsonNode latest = stack.api("grace", "/api/chat?incident_id=" + CHAT_INCIDENT, null).json();
    List<String> asked = values(whole.path("messages"), "content", m -> m.path("role").asText().equals("user"));
    assertThat(asked).hasSize(CHAT_TURNS);
    assertThat(latest.path("next").isNull()).as("the conversation is longer than a page").isFalse();
    Page grace = console.signIn("grace");
    grace.navigate(stack.url() + "/#/incidents/" + CHAT_INCIDENT);

    Locator log = grace.locator("section.chat .chat-log");
    Locator questions = log.locator(".bubble.user p.pre");
    Locator messages = log.locator(":scope > .bubble, :scope > .tool-result");
    assertThat(messages).hasCount(latest.path("messages").size());
    assertThat(questions.allTextContents())
        .isEqualTo(values(latest.path("messages"), "content", m -> m.path("role").asText().equals("user")));
    assertThat(questions.first()).not().hasText("question 01");
    log.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Show earlier messages")).focus();
    grace.keyboard().press("Enter");

    assertThat(messages).hasCount(whole.path("messages").size());
    assertThat(questions.allTextContents()).as("every question once, in order").isEqualTo(asked);
    assertThat(log.getByRole(AriaRole.BUTTON)).hasCount(0);
    // Pressed from the keyboard: the button went, and focus went on to the earliest message (it
    // has no link to take it), not back to the top of the page.
    assertThat(messages.first()).isFocused();
  }

  /** The field of each item that {@code keep} keeps, in order. */
  private static List<String> values(JsonNode items, String field, Predicate<JsonNode> keep) {
    List<String> out = new ArrayList<>();
    items.forEach(i -> {
      if (keep.test(i)) {
        out.add(i.path(field).asText());
      }
    });
    return out;
  }
}
