package dev.rebound.audit;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * The outcome of walking the chain. When broken, {@code firstBrokenSeq} names the first entry
 * that cannot be trusted and {@code reason} says what was found, e.g. {@code hash mismatch:
 * the content of entry #12 was changed}; {@code entriesChecked} counts the entries verified
 * before it.
 */
public record VerifyResult(boolean ok, long entriesChecked, OptionalLong firstBrokenSeq, Optional<String> reason) {

  public static VerifyResult intact(long entriesChecked) {
    return new VerifyResult(true, entriesChecked, OptionalLong.empty(), Optional.empty());
  }

  public static VerifyResult broken(long entriesChecked, long firstBrokenSeq, String reason) {
    return new VerifyResult(false, entriesChecked, OptionalLong.of(firstBrokenSeq), Optional.of(reason));
  }

  /**
   * One line for people: {@code audit chain intact: 42 entries} or
   * {@code audit chain BROKEN at entry #12: hash mismatch: …}.
   */
  public String summary() {
    if (ok) {
      return "audit chain intact: " + entriesChecked + (entriesChecked == 1 ? " entry" : " entries");
    }
    return "audit chain BROKEN at entry #" + firstBrokenSeq.orElseThrow() + ": " + reason.orElseThrow();
  }
}
