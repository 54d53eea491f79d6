package dev.rebound.engine.check;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import dev.rebound.engine.target.Deadline;
import dev.rebound.engine.target.HttpReply;
import dev.rebound.engine.target.HttpTarget;
import dev.rebound.engine.target.TargetCallException;
import dev.rebound.engine.target.TargetJson;
import dev.rebound.runbook.Check;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code check: http}: the status is in {@code expect_status} (default 200), the body contains
 * {@code expect_body_contains}, and each {@code expect_json} pointer's value matches
 * ({@link JsonMatch}). All conditions are evaluated and every mismatch reported.
 */
final class HttpCheckRunner implements CheckRunner {
  private final HttpTarget http;
  private final long bodyLimit;

  HttpCheckRunner(HttpTarget http, long bodyLimit) {
    this.http = http;
    this.bodyLimit = bodyLimit;
  }

  @Override
  public CheckResult run(Check rendered, CheckContext ctx) {
    Check.Http check = (Check.Http) rendered;
    String name = check.name().orElse("http " + check.method() + " " + check.url());
    long start = System.nanoTime();
    List<String> expected = new ArrayList<>();
    expected.add("status " + (check.expectStatus().size() == 1 ? check.expectStatus().get(0) : "in " + check.expectStatus()));
    check.expectBodyContains().ifPresent(s -> expected.add("body contains \"" + Texts.clip(s, 80) + "\""));
    check.expectJson().forEach((pointer, value) -> expected.add(pointer + "=" + JsonMatch.show(value)));
    String expectedText = String.join(", ", expected);

    HttpReply reply;
    try {
      HttpRequest request = HttpTarget.request(check.method(), check.url(), check.headers(),
          HttpRequest.BodyPublishers.noBody()).build();
      reply = http.exchange(request, Deadline.after(ctx.timeout()), bodyLimit);
    } catch (TargetCallException e) {
      return CheckResult.fail("http", name, "no response", expectedText, e.getMessage(), Texts.millis(start));
    }

    List<String> observed = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    observed.add("status " + reply.status());
    if (!check.expectStatus().contains(reply.status())) {
      problems.add("status " + reply.status() + " is not " + expected.get(0).substring("status ".length()));
    }
    String body = reply.bodyText();
    if (check.expectBodyContains().isPresent()) {
      boolean contains = body.contains(check.expectBodyContains().get());
      observed.add(contains ? "body contains it" : "body does not contain it");
      if (!contains) {
        problems.add("body does not contain \"" + Texts.clip(check.expectBodyContains().get(), 80) + "\""
            + (reply.truncated() ? " (only the first " + bodyLimit + " bytes were read)" : ""));
      }
    }
    if (!check.expectJson().isEmpty()) {
      Optional<JsonNode> json = reply.truncated() ? Optional.empty() : TargetJson.parse(body);
      if (json.isEmpty()) {
        observed.add("body is not JSON");
        problems.add(reply.truncated() ? "body is larger than " + bodyLimit + " bytes" : "body is not JSON");
      } else {
        for (Map.Entry<String, JsonNode> e : check.expectJson().entrySet()) {
          JsonNode actual;
          try {
            actual = json.get().at(JsonPointer.compile(e.getKey()));
          } catch (IllegalArgumentException bad) {
            problems.add("'" + e.getKey() + "' is not a JSON pointer");
            continue;
          }
          observed.add(e.getKey() + "=" + JsonMatch.show(actual));
          if (!JsonMatch.matches(e.getValue(), actual)) {
            problems.add(e.getKey() + " is " + JsonMatch.show(actual) + ", expected " + JsonMatch.show(e.getValue()));
          }
        }
      }
    }
    String observedText = String.join(", ", observed);
    long ms = Texts.millis(start);
    if (problems.isEmpty()) {
      return CheckResult.pass("http", name, observedText, expectedText, "ok", ms);
    }
    return CheckResult.fail("http", name, observedText, expectedText, String.join("; ", problems), ms);
  }
}
