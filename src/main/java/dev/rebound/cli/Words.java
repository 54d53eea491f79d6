package dev.rebound.cli;

/** Counted nouns for messages: {@code 1 runbook}, {@code 2 runbooks}. */
final class Words {
  private Words() {}

  static String count(long n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }
}
