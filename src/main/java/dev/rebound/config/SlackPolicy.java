package dev.rebound.config;

import java.util.Optional;
import java.util.Set;

/**
 * The {@code slack:} block of {@code rebound.yaml}.
 *
 * @param channel where alerts are posted ({@code #name} or a channel id); without it alerts
 *     still open incidents but nothing is posted
 * @param consoleUrl the web console's address, for links in messages ({@code REBOUND_CONSOLE_URL} overrides)
 * @param consoleRequiredFor step risks ({@code low}, {@code medium}, {@code high}) whose approval
 *     Slack refuses and sends to the console instead
 */
public record SlackPolicy(Optional<String> channel, Optional<String> consoleUrl, Set<String> consoleRequiredFor) {
  public SlackPolicy {
    consoleRequiredFor = Set.copyOf(consoleRequiredFor);
    consoleUrl = consoleUrl.map(u -> u.replaceAll("/+$", ""));
  }

  public static SlackPolicy none() {
    return new SlackPolicy(Optional.empty(), Optional.empty(), Set.of());
  }

  /** The same policy linking to the console at {@code url} ({@code REBOUND_CONSOLE_URL}). */
  public SlackPolicy withConsoleUrl(String url) {
    return new SlackPolicy(channel, Optional.of(url), consoleRequiredFor);
  }

  public boolean requiresConsole(String risk) {
    return consoleRequiredFor.contains(risk);
  }
}
