package dev.rebound.drill;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The demo production system's control surface, over HTTP as for any target: {@code GET
 * /demo/faults}, {@code POST /demo/faults/{name}}, {@code POST /demo/reset} (admin token). Every
 * call blocks for at most {@link #TIMEOUT}; failures are {@link DemoUnavailableException}.
 */
public final class DemoControl {
  static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI base;
  private final String adminToken;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

  public DemoControl(URI base, String adminToken) {
    this.base = base;
    this.adminToken = adminToken;
  }

  public URI base() {
    return base;
  }

  /** Whether a demo system answers at the base URL (quick: a 3 s connect timeout). */
  public boolean available() {
    return unavailable().isEmpty();
  }

  /**
   * Why no demo system is usable at the base URL, as it answered: nothing listening is not the
   * same as a demo system that is resetting (503) or something else on the port.
   */
  public Optional<String> unavailable() {
    try {
      return faults().has("faults") ? Optional.empty()
          : Optional.of("what answers at " + base + " is not a demo system (GET /demo/faults lists no faults)");
    } catch (DemoUnavailableException e) {
      return Optional.of(e.getMessage());
    }
  }

  /** {@code {"faults": [{"fault", "effect", "alert", "heals_with", "active"}…]}}. */
  public JsonNode faults() {
    return getJson(base + "/demo/faults");
  }

  public JsonNode inject(String fault, Map<String, String> params) {
    return post("/demo/faults/" + fault, JSON.valueToTree(params).toString());
  }

  /** Everything back to the seed state. */
  public void reset() {
    post("/demo/reset", "{}");
  }

  /** GET any URL and parse its JSON (for scenario parameters looked up in the demo system). */
  public JsonNode getJson(String url) {
    return send(HttpRequest.newBuilder(URI.create(url)).GET(), "GET " + url);
  }

  private JsonNode post(String path, String body) {
    return send(HttpRequest.newBuilder(URI.create(base + path)).header("X-Admin-Token", adminToken)
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)), "POST " + path);
  }

  private JsonNode send(HttpRequest.Builder request, String what) {
    try {
      HttpResponse<String> r = http.send(request.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() / 100 != 2) {
        throw new DemoUnavailableException("demo system at " + base + ": " + what + " answered " + r.statusCode()
            + ": " + abbreviate(r.body()));
      }
      return JSON.readTree(r.body());
    } catch (IOException e) {
      throw new DemoUnavailableException("no demo system answers at " + base + " (" + what + ": "
          + e.getClass().getSimpleName() + "); start one with `rebound serve --demo` or set REBOUND_DEMO_URL", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DemoUnavailableException("interrupted during " + what, e);
    }
  }

  private static String abbreviate(String s) {
    return s.length() > 300 ? s.substring(0, 300) + "…" : s;
  }
}
