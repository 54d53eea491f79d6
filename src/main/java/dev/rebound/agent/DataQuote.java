package dev.rebound.agent;

/**
 * Text from documents, incidents, alerts or people, quoted as data with its source before the
 * model sees it. The markers tell the model (and the prompt says so) that what is inside is
 * evidence, not instructions; a marker inside the text is defused so quoted text cannot close its
 * own quote and pose as Rebound's words. This is a hint to the model, not the control: the
 * control is that no tool can act without a person's approval.
 */
final class DataQuote {
  private DataQuote() {}

  static String quote(String source, String text) {
    String safeSource = source.replaceAll("[^A-Za-z0-9._/@:#-]", "_");
    String body = text == null ? "" : text.replace("<<<", "‹‹‹").replace(">>>", "›››");
    return "<<<DATA source=" + safeSource + ">>>\n" + body + "\n<<<END DATA>>>";
  }
}
