package dev.rebound.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code drills:} block of rebound.yaml.
 *
 * @param demoUrl where the demo production system answers ({@code REBOUND_DEMO_URL} overrides);
 *     drills inject faults only there
 * @param maxAge a runbook whose last drill is older than this is flagged in search results
 * @param waitScale factor applied to the {@code wait} actions of drill runs (1 = real time;
 *     {@code REBOUND_DRILL_WAIT_SCALE} overrides). Below 1 only for quick demos and tests: the
 *     report records it, so a shortened recovery time is never mistaken for a real one
 */
public record DrillSettings(URI demoUrl, Duration maxAge, double waitScale) {
  public static final URI DEFAULT_DEMO_URL = URI.create("http://localhost:8090");
  public static final Duration DEFAULT_MAX_AGE = Duration.ofDays(30);
  private static final Pattern DURATION = Pattern.compile("([0-9]{1,6})(m|h|d)");

  public static DrillSettings defaults() {
    return new DrillSettings(DEFAULT_DEMO_URL, DEFAULT_MAX_AGE, 1.0);
  }

  public DrillSettings withDemoUrl(URI url) {
    return new DrillSettings(url, maxAge, waitScale);
  }

  public DrillSettings withWaitScale(double scale) {
    return new DrillSettings(demoUrl, maxAge, scale);
  }

  /** {@code 30d}, {@code 12h}, {@code 90m}. */
  static Optional<Duration> parseAge(String text) {
    Matcher m = DURATION.matcher(text.trim());
    if (!m.matches()) {
      return Optional.empty();
    }
    long n = Long.parseLong(m.group(1));
    return Optional.of(switch (m.group(2)) {
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    }).filter(d -> !d.isZero());
  }

  /** A wait scale in (0, 1], else empty. */
  static Optional<Double> parseScale(String text) {
    try {
      double v = Double.parseDouble(text.trim());
      return v > 0 && v <= 1 ? Optional.of(v) : Optional.empty();
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** An http(s) URL without a trailing slash, else empty. */
  static Optional<URI> parseUrl(String text) {
    try {
      URI uri = URI.create(text.trim().replaceAll("/+$", ""));
      return List.of("http", "https").contains(String.valueOf(uri.getScheme())) && uri.getHost() != null
          ? Optional.of(uri) : Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
