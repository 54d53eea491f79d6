package dev.rebound.drill;

import dev.rebound.runbook.Runbook;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A drill breaks the demo system at its URL and measures how the runbook recovers it, so the
 * runbook must act on that same system. Its targets come from template variables
 * ({@code FEATURES_URL}, …): if one of those it uses names another server, the recovery would act
 * there (another person's demo, or in a configuration written for production, production) while
 * the broken demo stays broken. Such a drill is refused before anything is injected.
 */
final class DrillTargets {
  private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "::1", "[::1]", "0:0:0:0:0:0:0:1");

  private DrillTargets() {}

  /** Why {@code runbook} would act elsewhere than {@code demo}, naming the variables; empty when it would not. */
  static Optional<String> elsewhere(Runbook runbook, Map<String, String> env, URI demo) {
    List<String> other = new ArrayList<>();
    for (String name : runbook.envNames()) {
      String value = env.get(name);
      Optional<URI> target = httpUri(value);
      if (target.isPresent() && !sameServer(target.get(), demo)) {
        other.add(name + "=" + value);
      }
    }
    if (other.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of("runbook " + runbook.id() + " would act on " + String.join(", ", other)
        + ", not on the demo system this drill breaks (" + demo + "); point those variables at it, or"
        + " REBOUND_DEMO_URL (drills.demo_url) at the demo system they name");
  }

  private static Optional<URI> httpUri(String value) {
    if (value == null) {
      return Optional.empty();
    }
    try {
      URI uri = new URI(value.strip());
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      return (scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null
          ? Optional.of(uri) : Optional.empty();
    } catch (URISyntaxException e) {
      return Optional.empty();
    }
  }

  private static boolean sameServer(URI a, URI b) {
    return a.getScheme().equalsIgnoreCase(b.getScheme()) && port(a) == port(b) && sameHost(a.getHost(), b.getHost());
  }

  private static boolean sameHost(String a, String b) {
    String x = a.toLowerCase(Locale.ROOT);
    String y = b == null ? "" : b.toLowerCase(Locale.ROOT);
    return x.equals(y) || LOOPBACK.contains(x) && LOOPBACK.contains(y);
  }

  private static int port(URI uri) {
    return uri.getPort() != -1 ? uri.getPort() : uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
  }
}
