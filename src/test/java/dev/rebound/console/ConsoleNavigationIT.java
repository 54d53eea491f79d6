package dev.rebound.console;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Route;
import com.microsoft.playwright.options.AriaRole;
import dev.rebound.db.TokenStore;
import dev.rebound.inventory.Role;
import dev.rebound.testing.TestDatabase;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The console around its pages, in Debian's Chromium: signing in (a bad token, a token revoked
 * while the tab is open, deep links that survive both), links to ids that do not exist, failures
 * the server did not explain, and the guided chat.
 */
class ConsoleNavigationIT {
  @RegisterExtension @Order(1) static final TestDatabase db = TestDatabase.create();
  @RegisterExtension @Order(2) static final ConsoleSession console = new ConsoleSession(db);

  @Test
  void a_bad_token_is_refused_without_showing_the_signed_in_header_and_a_deep_link_survives_signing_in() {
    Page page = console.newPage("stranger");
    page.navigate(console.stack().url() + "/#/runbooks/model-rollback");
    page.getByLabel("API token").fill("rb_not_a_token_anyone_was_given");
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
    assertThat(page.locator("form.signin [role=alert]")).hasText("That token was not accepted.");
    assertThat(page.locator("#nav")).isHidden();
    assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign out"))).isHidden();

    page.getByLabel("API token").fill(console.stack().tokens.get("grace"));
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
    assertThat(page.locator("h1")).hasText("Roll a model back to the last good version, with an artifact integrity check");
    assertThat(page.locator("#nav")).isVisible();
    assertThat(page.locator("p.meta")).hasText(Pattern.compile("^model-rollback · author \\w+ · content \\w{12}… ·"
        + " approved by bruno, active in \\w+$"));
  }

  @Test
  void a_link_to_an_id_that_does_not_exist_says_not_found_and_leads_back() {
    Page grace = console.signIn("grace");
    for (String[] link : new String[][] {{"incidents/INC-1999-999", "incident 'INC-1999-999' not found", "#/incidents"},
        {"runbooks/no-such-runbook", "runbook 'no-such-runbook' not found", "#/runbooks"},
        {"runs/run_no_such_run", "run 'run_no_such_run' not found", "#/incidents"}}) {
      grace.navigate(console.stack().url() + "/#/" + link[0]);
      assertThat(grace.locator("main h1")).hasText("Not found");
      assertThat(grace.locator("main .not-found")).containsText(link[1]);
      assertThat(grace.locator("main .not-found a")).hasAttribute("href", link[2]);
    }
  }

  @Test
  void a_token_revoked_while_the_tab_is_open_leads_back_to_sign_in_and_then_to_the_same_page() throws Exception {
    String token = new TokenStore(console.stack().running.database().pool())
        .issue("hana", Role.RESPONDER, "console test").await(10, SECONDS).token();
    Page hana = console.newPage("hana");
    hana.navigate(console.stack().url() + "/");
    hana.getByLabel("API token").fill(token);
    hana.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
    assertThat(hana.locator("#who-name")).hasText("hana");

    new TokenStore(console.stack().running.database().pool()).revoke(token).await(10, SECONDS);
    Thread.sleep(6_000); // the server caches a token's lookup for 5 s
    hana.navigate(console.stack().url() + "/#/runbooks");
    assertThat(hana.locator("form.signin [role=alert]")).containsText("no longer accepted");
    assertThat(hana.locator("#nav")).isHidden();

    hana.getByLabel("API token").fill(console.stack().tokens.get("dmitri"));
    hana.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
    assertThat(hana.locator("#who-name")).hasText("dmitri");
    assertThat(hana.locator("main h1")).hasText("Runbooks");
  }

  @Test
  void a_failure_without_an_error_body_says_which_request_failed() {
    Page grace = console.signIn("grace");
    // What a proxy in front of the service answers when the service is down: HTML, no error object.
    grace.route("**/api/runbooks", route -> route.fulfill(new Route.FulfillOptions()
        .setStatus(502).setContentType("text/html").setBody("<html><body>Bad Gateway</body></html>")));
    grace.navigate(console.stack().url() + "/#/runbooks");
    assertThat(grace.locator("main [role=alert]"))
        .hasText("GET /api/runbooks failed: the server answered HTTP 502 Bad Gateway without an explanation");
  }

  @Test
  void a_token_refused_to_a_part_loaded_after_the_page_leads_back_to_sign_in_too() {
    Page dmitri = console.signIn("dmitri");
    // What the server answers once the token is revoked; here only to the chat beside the incident.
    dmitri.route(Pattern.compile(".*/api/chat\\?.*"), route -> route.fulfill(new Route.FulfillOptions()
        .setStatus(401).setContentType("application/json")
        .setBody("{\"error\": {\"code\": \"unauthorized\", \"message\": \"token not accepted\"}}")));
    dmitri.navigate(console.stack().url() + "/#/incidents/INC-2024-015");
    assertThat(dmitri.locator("form.signin [role=alert]")).containsText("no longer accepted");
    assertThat(dmitri.locator("#nav")).isHidden();
  }

  @Test
  void the_guided_chat_answers_with_runbooks_and_drops_its_empty_note() {
    Page dmitri = console.signIn("dmitri");
    dmitri.navigate(console.stack().url() + "/#/incidents/INC-2024-015");
    Locator chat = dmitri.locator("section.chat");
    assertThat(chat.locator(".mode")).hasText("guided mode");
    assertThat(chat.locator(".chat-log")).hasText("No conversation yet.");

    dmitri.getByLabel("Message to the agent").fill("what should I do?");
    Locator send = dmitri.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Send"));
    send.press("Enter");
    Locator links = chat.locator(".bubble.assistant .guided a");
    assertThat(links.first()).hasAttribute("href", Pattern.compile("^#/runbooks/"));
    assertThat(send).isFocused(); // where someone on a keyboard left it, for the next message
    assertThat(chat.locator(".bubble.user")).containsText("what should I do?");
    assertThat(chat.locator(".chat-log")).not().containsText("No conversation yet.");

    // The conversation read again after a reload links what the answer linked when it arrived.
    Object linked = links.evaluateAll("as => as.map(a => a.getAttribute('href'))");
    dmitri.reload();
    assertThat(chat.locator(".bubble.user")).containsText("what should I do?");
    assertThat(links.first()).isVisible();
    assertThat(links.evaluateAll("as => as.map(a => a.getAttribute('href'))")).isEqualTo(linked);
  }
}
