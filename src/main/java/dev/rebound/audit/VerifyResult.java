package dev.rebound.audit;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * The outcome of walking the chain. When broken, {@code firstBrokenSeq} names the first entry
 * that cannot be trusted and {@code reason} says what was found, e.g. {@code hash mismatch:
 * the content of entry #12 was changed}; {@code entriesChecked} counts the entries verified
 * before it. {@code pending} counts committed entries not yet sealed into the chain (not covered
 * by the check; normally 0, since verifying seals first; always 0 for an export).
 * {@code endUnknown}: the entries were not compared with a recorded end (an export written
 * before exports recorded theirs), so entries cut off after the last one would go unnoticed.
 */
public record VerifyResult(
    boolean ok, long entriesChecked, OptionalLong firstBrokenSeq, Optional<String> reason, long pending,
    boolean endUnknown) {

  public static VerifyResult intact(long entriesChecked) {
    return new VerifyResult(true, entriesChecked, OptionalLong.empty(), Optional.empty(), 0, false);
  }

  public static VerifyResult broken(long entriesChecked, long firstBrokenSeq, String reason) {
    return new VerifyResult(false, entriesChecked, OptionalLong.of(firstBrokenSeq), Optional.of(reason), 0, false);
  }

  public VerifyResult withPending(long count) {
    return new VerifyResult(ok, entriesChecked, firstBrokenSeq, reason, count, endUnknown);
  }

  /** The same verdict on entries whose end nothing recorded (still ok if they chain). */
  public VerifyResult withEndUnknown() {
    return new VerifyResult(ok, entriesChecked, firstBrokenSeq, reason, pending, true);
  }

  /**
   * One line for people: {@code audit chain intact: 42 entries} or
   * {@code audit chain BROKEN at entry #12: hash mismatch: …}, followed by
   * {@code ; 3 entries pending (not yet sealed)} when some are, or by what an intact chain with
   * an unknown end cannot show.
   */
  public String summary() {
    String chain = ok
        ? "audit chain intact: " + entriesChecked + (entriesChecked == 1 ? " entry" : " entries")
        : "audit chain BROKEN at entry #" + firstBrokenSeq.orElseThrow() + ": " + reason.orElseThrow();
    if (ok && endUnknown) {
      chain += "; completeness cannot be checked: the file does not record where the export ended (written by an"
          + " older version), so entries cut off after the last one would go unnoticed";
    }
    return pending == 0 ? chain
        : chain + "; " + pending + (pending == 1 ? " entry" : " entries") + " pending (not yet sealed)";
  }
}
