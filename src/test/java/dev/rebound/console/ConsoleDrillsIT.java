package dev.rebound.console;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.options.AriaRole;
import dev.rebound.testing.TestDatabase;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
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

  /** Long enough for a whole drill: the page must follow it to its end by itself. */
  private static final LocatorAssertions.ContainsTextOptions UNTIL_THE_DRILL_ENDS =
      new LocatorAssertions.ContainsTextOptions().setTimeout(240_000);

  @Test
  void a_drill_started_from_the_page_is_followed_to_its_end_without_a_reload() throws Exception {
    RecoveryStack stack = console.stack();
    Page alice = console.newPage("alice");
    alice.navigate(stack.url() + "/#/drills");
    alice.getByLabel("API token").fill(stack.tokens.get("alice"));
    alice.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
    alice.evaluate("window.__sameDocument = true");

    // Rolling the model back cannot revive a dead serving primary: the drill fails before recovering.
    Locator row = scenarioRow(alice, "primary-down-wrong-runbook");
    Locator runDrill = row.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Run drill"));
    runDrill.press("Enter");
    assertThat(alice.locator("p.ok")).containsText("started");
    String drillId = alice.locator("p.ok").innerText().replaceAll("^Drill (\\S+) started.*$", "$1").trim();
    // The page lists the new drill at once: as the scenario's last drill, and in the history.
    assertThat(row.locator("td.last-drill")).containsText("running");
    Locator listed = alice.locator("table.drill-history tr[data-drill='" + drillId + "']");
    assertThat(listed).containsText("running");
    // The scenarios were listed again: someone on a keyboard is still at the same button.
    assertThat(runDrill).isFocused();

    alice.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("See its report")).click();
    Locator report = alice.locator("section[aria-labelledby=sec-report]");
    assertThat(report).containsText("running");

    // Someone else follows the same drill, then leaves the page: that page stops asking.
    Page grace = console.signIn("grace");
    grace.navigate(stack.url() + "/#/drills");
    scenarioRow(grace, "primary-down-wrong-runbook").getByRole(AriaRole.BUTTON,
        new Locator.GetByRoleOptions().setName("report")).click();
    assertThat(grace.locator("section[aria-labelledby=sec-report]")).containsText("running");
    List<String> asked = new CopyOnWriteArrayList<>();
    grace.onRequest(request -> {
      if (request.url().contains("/api/drills")) {
        asked.add(request.url());
      }
    });
    grace.navigate(stack.url() + "/#/runbooks");
    assertThat(grace.locator("main h1")).hasText("Runbooks");
    // The page polled every 2 s; waiting in Playwright (not Thread.sleep) lets the requests be seen.
    grace.waitForTimeout(5_000);
    assertThat(status(drillId)).as("the drill still runs, so a poll would have been due").isEqualTo("running");
    // While it runs, a scenario that does not exist is still a 404, not "a drill is running".
    assertThat(stack.api("alice", "/api/drills/no-such-scenario", Map.of()).status()).isEqualTo(404);
    RecoveryStack.Reply busy = stack.api("alice", "/api/drills/serving-primary-down", Map.of());
    assertThat(busy.status()).isEqualTo(409);
    assertThat(busy.json().path("error").path("message").asText()).contains(drillId + " is running");
    assertThat(asked).as("requests after leaving the Drills page").isEmpty();

    // The open report follows the drill to its end; the last drill and the history follow too.
    assertThat(report).containsText("primary-down-wrong-runbook failed", UNTIL_THE_DRILL_ENDS);
    assertThat(report).containsText("not recovered");
    assertThat(row.locator("td.last-drill")).containsText("failed");
    assertThat(listed).containsText("primary-down-wrong-runbook");
    assertThat(listed).containsText("failed");
    assertThat(listed).containsText("not recovered");
    assertThat((Boolean) alice.evaluate("window.__sameDocument === true")).as("no reload").isTrue();
  }

  @Test
  void the_trend_of_each_runbooks_recovery_times_is_shown_with_its_figures() throws Exception {
    // Three past drills of the failover, each recovering faster than the one before.
    Instant now = Instant.now();
    recordPassedDrill("drill-trend-1", now.minus(3, ChronoUnit.DAYS), 60_000);
    recordPassedDrill("drill-trend-2", now.minus(2, ChronoUnit.DAYS), 50_000);
    recordPassedDrill("drill-trend-3", now.minus(1, ChronoUnit.DAYS), 30_000);

    // A drill the other test started may still be ending: the page reads the history again when it
    // ends, which is right, but not the one request per load counted here.
    awaitNoDrillRunning();
    Page grace = console.signIn("grace");
    List<String> histories = new CopyOnWriteArrayList<>();
    grace.onRequest(request -> {
      if (request.url().contains("/api/drills/history")) {
        histories.add(request.url());
      }
    });
    grace.navigate(console.stack().url() + "/#/drills");
    Locator failover = grace.locator("table.drill-trends tr[data-runbook=serving-failover]");
    assertThat(failover).containsText("improving");
    assertThat(failover).containsText("newest 30 s against 55 s on average over the 2 before");
    assertThat(failover).containsText("30 s, 50 s, 1 min");
    // Each drill's recovery beside the target it was judged against.
    assertThat(grace.locator("table.drill-history tr[data-drill=drill-trend-3]")).containsText("30 s / RTO 5 min");
    // The trends come with the scenarios: the page asks for the history once, not once per runbook.
    assertThat(histories).as("history requests of one page load").hasSize(1);

    // Every column has a heading a screen reader can name, the buttons' columns too; so do a report's tables.
    assertThat(grace.locator("table.drill-scenarios").getByRole(AriaRole.COLUMNHEADER,
        new Locator.GetByRoleOptions().setName("Start"))).hasCount(1);
    Locator history = grace.locator("table.drill-history");
    assertThat(history.getByRole(AriaRole.COLUMNHEADER, new Locator.GetByRoleOptions().setName("Report"))).hasCount(1);
    history.locator("tr[data-drill=drill-trend-3]").getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("report")).click();
    Locator report = grace.locator("section[aria-labelledby=sec-report]");
    assertThat(report.locator("table").first().locator("th")).hasText(new String[] {"Asset", "RTO", "Result"});
    assertThat(report.locator("table").last().locator("th")).hasText(new String[] {"Step", "State", "Took"});
  }

  private static void awaitNoDrillRunning() throws Exception {
    long deadline = System.nanoTime() + 120_000_000_000L;
    while (console.stack().api("alice", "/api/drills", null).json().path("scenarios").findValuesAsText("status")
        .contains("running")) {
      assertThat(System.nanoTime()).as("a drill still running").isLessThan(deadline);
      Thread.sleep(200);
    }
  }

  private static Locator scenarioRow(Page page, String scenario) {
    return page.locator("table.drill-scenarios tr[data-scenario='" + scenario + "']");
  }

  private static String status(String drillId) throws Exception {
    return console.stack().api("alice", "/api/drills/reports/" + drillId, null).json().path("status").asText();
  }

  /** A drill of serving-primary-down as the service records one that passed. */
  private static void recordPassedDrill(String drillId, Instant started, long recoveryMs) throws Exception {
    OffsetDateTime at = OffsetDateTime.ofInstant(started, ZoneOffset.UTC);
    String report = "{\"drill_id\": \"" + drillId + "\", \"scenario\": \"serving-primary-down\", \"status\": \"passed\","
        + " \"recovery_ms\": " + recoveryMs + ", \"assets\": [{\"id\": \"serving.primary\", \"rto_seconds\": 300,"
        + " \"within_rto\": true}]}";
    console.stack().running.database().pool().preparedQuery("""
            insert into drill_reports (drill_id, scenario_id, runbook_id, assets, status, started_at, finished_at,
              recovery_ms, within_rto, report)
            values ($1, 'serving-primary-down', 'serving-failover', array['gateway.api', 'serving.primary'], 'passed',
              $2, $3, $4, true, $5::text::jsonb)""")
        .execute(Tuple.of(drillId, at, at.plusNanos(recoveryMs * 1_000_000), recoveryMs, report)).await(10, SECONDS);
  }
}
