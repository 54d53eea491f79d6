package dev.rebound.slack;

/**
 * Text put into Slack messages. Slack's mrkdwn gives {@code <}, {@code >} and {@code &} meaning
 * ({@code <!channel>}, {@code <@U123>}, links), so text from incidents, alerts and runbooks is
 * escaped: an alert annotation cannot ping a channel or disguise a link.
 */
final class SlackText {
  private SlackText() {}

  static String escape(String text) {
    return text == null ? "" : text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  static String cut(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max - 1) + "…";
  }
}
