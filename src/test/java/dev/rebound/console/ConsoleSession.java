package dev.rebound.console;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.rebound.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A browser test class's console, as an extension registered after its {@link TestDatabase}
 * ({@code @Order}): the {@link RecoveryStack} on that database and Chromium for the class, and
 * pages in browser contexts of their own, one per person, closed after each test.
 */
final class ConsoleSession implements BeforeAllCallback, AfterAllCallback, AfterEachCallback {
  private final TestDatabase db;
  private final List<BrowserContext> contexts = new ArrayList<>();
  private RecoveryStack stack;
  private ConsoleBrowser chromium;

  ConsoleSession(TestDatabase db) {
    this.db = db;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    stack = RecoveryStack.start(db);
    chromium = ConsoleBrowser.launch();
  }

  RecoveryStack stack() {
    return stack;
  }

  /** A page in a browser context of its own, not yet signed in. */
  Page newPage(String person) {
    BrowserContext context = chromium.browser.newContext(new Browser.NewContextOptions().setViewportSize(1366, 768));
    contexts.add(context);
    Page page = context.newPage();
    // Script errors end up in the test output, where a failure's cause is looked for.
    page.onPageError(e -> System.out.println("[" + person + " page error] " + e));
    return page;
  }

  /** A page signed in with {@code person}'s token, at the console's start. */
  Page signIn(String person) {
    Page page = newPage(person);
    com.microsoft.playwright.Response index = page.navigate(stack.url() + "/");
    // Scripts and styles from this origin only: text from runbooks or chat can never run as script.
    assertThat(index.headerValue("content-security-policy")).contains("script-src 'self'");
    page.getByLabel("API token").fill(stack.tokens.get(person));
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
    assertThat(page.locator("#who-name")).hasText(person);
    return page;
  }

  /** A screenshot of the page from its top, to {@code target/screenshots/NAME.png} (the README's come from there). */
  static void shoot(Page page, String name) throws IOException {
    Path shots = Files.createDirectories(RecoveryStack.REPO.resolve("target/screenshots"));
    page.evaluate("window.scrollTo(0, 0)");
    page.screenshot(new Page.ScreenshotOptions().setPath(shots.resolve(name + ".png")));
  }

  @Override
  public void afterEach(ExtensionContext context) {
    contexts.forEach(BrowserContext::close);
    contexts.clear();
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    try {
      if (chromium != null) {
        chromium.close();
      }
    } finally {
      if (stack != null) {
        stack.close();
      }
    }
  }
}
