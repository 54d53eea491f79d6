package dev.rebound.engine;

import java.security.SecureRandom;

/**
 * Run ids: {@code run_<milliseconds, base36, 9 digits>_<10 random base36 digits>}. They sort by
 * creation time (as text too) and cannot be guessed.
 */
final class RunIds {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz";

  private RunIds() {}

  static String next(long epochMillis) {
    String time = Long.toString(epochMillis, 36);
    StringBuilder id = new StringBuilder("run_");
    id.append("0".repeat(Math.max(0, 9 - time.length()))).append(time).append('_');
    for (int i = 0; i < 10; i++) {
      id.append(DIGITS.charAt(RANDOM.nextInt(DIGITS.length())));
    }
    return id.toString();
  }

  static boolean plausible(String id) {
    return id != null && id.length() <= 64 && id.matches("run_[0-9a-z]+_[0-9a-z]+");
  }
}
