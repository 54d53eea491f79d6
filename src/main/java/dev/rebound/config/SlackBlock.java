package dev.rebound.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rebound.yaml.PositionedYaml;
import java.net.URI;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads the {@code slack:} block of {@code rebound.yaml}, one problem per bad value, with its position. */
final class SlackBlock {
  private static final Set<String> KEYS = Set.of("channel", "console_url", "console_required_for");
  private static final Set<String> RISKS = Set.of("low", "medium", "high");
  private static final Pattern CHANNEL = Pattern.compile("#[a-z0-9][a-z0-9._-]{0,79}|[CG][A-Z0-9]{6,}");

  private SlackBlock() {}

  static SlackPolicy read(PositionedYaml yaml, JsonNode node, boolean consoleUrlFromEnv, List<String> problems) {
    if (node.isMissingNode() || node.isNull()) {
      return SlackPolicy.none();
    }
    if (!node.isObject()) {
      problems.add(yaml.problemAt("/slack", "slack must be a mapping (channel, console_url, console_required_for)")
          .toString());
      return SlackPolicy.none();
    }
    node.fieldNames().forEachRemaining(key -> {
      if (!KEYS.contains(key)) {
        problems.add(yaml.problemAtKey("/slack/" + PositionedYaml.escape(key), "unknown key '" + key
            + "' in slack (known: channel, console_required_for, console_url)").toString());
      }
    });
    Optional<String> channel = Optional.empty();
    if (node.has("channel")) {
      String text = node.get("channel").asText("").strip();
      if (node.get("channel").isTextual() && CHANNEL.matcher(text).matches()) {
        channel = Optional.of(text);
      } else {
        problems.add(yaml.problemAt("/slack/channel", "slack.channel must be a channel name like \"#incidents\""
            + " or a channel id like C0123ABCD; got '" + text + "'").toString());
      }
    }
    Optional<String> console = Optional.empty();
    if (node.has("console_url")) {
      String text = node.get("console_url").asText("").strip();
      if (isHttpUrl(text)) {
        console = Optional.of(text);
      } else {
        problems.add(yaml.problemAt("/slack/console_url", "slack.console_url must be an http(s) URL of the web"
            + " console; got '" + text + "'").toString());
      }
    }
    Set<String> risks = new LinkedHashSet<>();
    JsonNode list = node.path("console_required_for");
    if (!list.isMissingNode()) {
      if (!list.isArray()) {
        problems.add(yaml.problemAt("/slack/console_required_for",
            "slack.console_required_for must be a list of risks, e.g. [high]").toString());
      } else {
        for (int i = 0; i < list.size(); i++) {
          String risk = list.get(i).asText("");
          if (RISKS.contains(risk)) {
            risks.add(risk);
          } else {
            problems.add(yaml.problemAt("/slack/console_required_for/" + i,
                "slack.console_required_for: '" + risk + "' is not a risk (low, medium, high)").toString());
          }
        }
      }
    }
    if (!risks.isEmpty() && console.isEmpty() && node.has("console_required_for") && !node.has("console_url")
        && !consoleUrlFromEnv) {
      problems.add(yaml.problemAt("/slack/console_required_for", "slack.console_required_for needs"
          + " slack.console_url (or REBOUND_CONSOLE_URL): the message links to the console for those approvals")
          .toString());
    }
    return new SlackPolicy(channel, console, risks);
  }

  private static boolean isHttpUrl(String text) {
    try {
      URI uri = new URI(text);
      return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
    } catch (java.net.URISyntaxException e) {
      return false;
    }
  }
}
