package dev.rebound.console;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.rebound.testing.TestDatabase;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The console's Drills page, on a stack of its own: a drill leaves its runbook drilled, which
 * would change the drill flags {@link ConsoleIT} expects.
 */
class ConsoleDrillsIT {
  @RegisterExtension @Order(1) static final TestDatabase db = TestDatabase.create();
  @RegisterExtension @Order(2) static final ConsoleSession console = new ConsoleSession(db);

  @Test
  void a_drill_started_from_the_page_reports_what_it_never_measured_as_such() throws Exception {
    RecoveryStack stack = console.stack();
    Page alice = console.newPage("alice");
    alice.navigate(stack.url() + "/#/drills");
    alice.getByLabel("API token").fill(stack.tokens.get("alice"));
    alice.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();

    // Rolling the model back cannot revive a dead serving primary: the drill fails before recovering.
    Locator row = alice.locator("table.list tbody tr").filter(new Locator.FilterOptions().setHasText("primary-down-wrong-runbook"));
    row.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Run drill")).click();
    assertThat(alice.locator("p.ok")).containsText("started");
    String drillId = alice.locator("p.ok").innerText().replaceAll("^Drill (\\S+) started.*$", "$1").trim();
    awaitFinished(drillId);

    alice.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("See its report")).click();
    Locator report = alice.locator("section[aria-labelledby=sec-report]");
    assertThat(report).containsText("primary-down-wrong-runbook failed");
    assertThat(report).containsText("not recovered");

    // The page's history lists it, with what it achieved.
    alice.reload();
    Locator listed = alice.locator("table.drill-history tr[data-drill='" + drillId + "']");
    assertThat(listed).containsText("primary-down-wrong-runbook");
    assertThat(listed).containsText("failed");
    assertThat(listed).containsText("not recovered");
  }

  private static void awaitFinished(String drillId) throws Exception {
    long deadline = System.nanoTime() + java.time.Duration.ofMinutes(4).toNanos();
    String status = "";
    while (System.nanoTime() < deadline) {
      status = console.stack().api("alice", "/api/drills/reports/" + drillId, null).json().path("status").asText();
      if (!"running".equals(status)) {
        return;
      }
      Thread.sleep(500);
    }
    throw new AssertionError("drill " + drillId + " still " + status);
  }
}
