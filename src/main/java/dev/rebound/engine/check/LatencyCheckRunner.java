package dev.rebound.engine.check;

import dev.rebound.engine.target.Deadline;
import dev.rebound.engine.target.HttpReply;
import dev.rebound.engine.target.HttpTarget;
import dev.rebound.engine.target.TargetCallException;
import dev.rebound.runbook.Check;
import dev.rebound.runbook.Durations;
import java.net.http.HttpRequest;
import java.time.Duration;

/**
 * {@code check: latency}: sends {@code probes} requests one after another (measuring latency, not
 * load: never concurrently) and passes when the nearest-rank p95 of their times (request sent to
 * whole body read) is at most {@code p95_max}. Reports p50 and p95. Every probe must succeed (a
 * status below 400): the latency of errors says nothing about recovery. All probes share the
 * check's timeout; running out of it fails the check. No warm-up probe: the first includes the
 * connection set-up, which with 20 or more probes falls outside p95 anyway.
 */
final class LatencyCheckRunner implements CheckRunner {
  private final HttpTarget http;
  private final long bodyLimit;

  LatencyCheckRunner(HttpTarget http, long bodyLimit) {
    this.http = http;
    this.bodyLimit = bodyLimit;
  }

  @Override
  public CheckResult run(Check rendered, CheckContext ctx) {
    Check.Latency check = (Check.Latency) rendered;
    String name = check.name().orElse("latency of " + check.method() + " " + check.url());
    String expected = "p95 at most " + Durations.format(check.p95Max());
    long start = System.nanoTime();
    int probes = Math.max(1, check.probes());
    Deadline deadline = Deadline.after(ctx.timeout());
    long[] nanos = new long[probes];
    HttpRequest request;
    try {
      request = HttpTarget.request(check.method(), check.url(), check.headers(), HttpRequest.BodyPublishers.noBody())
          .build();
    } catch (TargetCallException e) {
      return CheckResult.fail("latency", name, "", expected, e.getMessage(), 0);
    }
    for (int i = 0; i < probes; i++) {
      if (deadline.expired()) {
        return CheckResult.fail("latency", name, i + " of " + probes + " probes", expected,
            "only " + i + " of " + probes + " probes finished within the timeout of " + Texts.duration(ctx.timeout()),
            Texts.millis(start));
      }
      HttpReply reply;
      try {
        reply = http.exchange(request, deadline, bodyLimit);
      } catch (TargetCallException e) {
        return CheckResult.fail("latency", name, i + " of " + probes + " probes", expected,
            "probe " + (i + 1) + " failed: " + e.getMessage(), Texts.millis(start));
      }
      if (reply.status() >= 400) {
        return CheckResult.fail("latency", name, "probe " + (i + 1) + ": status " + reply.status(), expected,
            "probe " + (i + 1) + " returned " + reply.status() + "; latency of failing requests is not measured",
            Texts.millis(start));
      }
      nanos[i] = reply.elapsed().toNanos();
    }
    Duration p50 = Duration.ofNanos(Percentiles.nearestRank(nanos, 0.50));
    Duration p95 = Duration.ofNanos(Percentiles.nearestRank(nanos, 0.95));
    String observed = "p95 " + Texts.duration(p95) + ", p50 " + Texts.duration(p50) + " (" + probes + " probes)";
    boolean passed = p95.compareTo(check.p95Max()) <= 0;
    String message = passed ? "ok" : "p95 " + Texts.duration(p95) + " is above " + Durations.format(check.p95Max());
    return new CheckResult("latency", name, passed, observed, expected, message, Texts.millis(start));
  }
}
