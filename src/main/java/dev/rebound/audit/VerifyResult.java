package dev.rebound.audit;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * The outcome of walking the chain. When broken, {@code firstBrokenSeq} names the first entry
 * that cannot be trusted and {@code reason} says what was found, e.g. {@code hash mismatch:
 * the content of entry #12 was changed}; {@code entriesChecked} counts the entries verified
 * before it. {@code pending} counts committed entries not yet sealed into the chain (not covered
 * by the check; normally 0, since verifying seals first; always 0 for an export).
 */
public record VerifyResult(
    boolean ok, long entriesChecked, OptionalLong firstBrokenSeq, Optional<String> reason, long pending) {

  public static VerifyResult intact(long entriesChecked) {
    return new VerifyResult(true, entriesChecked, OptionalLong.empty(), Optional.empty(), 0);
  }

  public static VerifyResult broken(long entriesChecked, long firstBrokenSeq, String reason) {
    return new VerifyResult(false, entriesChecked, OptionalLong.of(firstBrokenSeq), Optional.of(reason), 0);
  }

  public VerifyResult withPending(long count) {
    return new VerifyResult(ok, entriesChecked, firstBrokenSeq, reason, count);
  }

  /**
   * One line for people: {@code audit chain intact: 42 entries} or
   * {@code audit chain BROKEN at entry #12: hash mismatch: …}, followed by
   * {@code ; 3 entries pending (not yet sealed)} when some are.
   */
  public String summary() {
    String chain = ok
        ? "audit chain intact: " + entriesChecked + (entriesChecked == 1 ? " entry" : " entries")
        : "audit chain BROKEN at entry #" + firstBrokenSeq.orElseThrow() + ": " + reason.orElseThrow();
    return pending == 0 ? chain
        : chain + "; " + pending + (pending == 1 ? " entry" : " entries") + " pending (not yet sealed)";
  }
}
