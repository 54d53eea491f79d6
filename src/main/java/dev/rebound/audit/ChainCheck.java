package dev.rebound.audit;

/**
 * Walks entries in seq order, one at a time, keeping only the previous hash: the same check for
 * the database ({@link AuditVerifier#verify()}) and for an export file. Stops at the first break.
 *
 * <p>At each entry, in this order (the order decides which entry is blamed):
 * <ol>
 *   <li>seq must follow the previous one: a jump means entries were deleted (named: the first
 *       missing seq);
 *   <li>the entry's own hash must match its content and stored prev_hash: otherwise its content
 *       was changed;
 *   <li>its prev_hash must equal the previous entry's hash: otherwise the previous entry was
 *       changed and its hash recomputed to match (the previous entry is named, since this one is
 *       consistent with what the previous entry originally was).
 * </ol>
 */
final class ChainCheck {
  private long expectedSeq = 1;
  private String previousHash = ChainHash.GENESIS;
  private long checked;
  private VerifyResult broken;

  /** Checks the next entry; {@code false} once the chain is broken (stop feeding it). */
  boolean accept(AuditEntry entry) {
    if (broken != null) {
      return false;
    }
    long seq = entry.seq();
    if (seq < expectedSeq) {
      return fail(seq, "sequence out of order: entry #" + seq + " follows #" + (expectedSeq - 1));
    }
    if (seq > expectedSeq) {
      String missing = seq == expectedSeq + 1
          ? "entry #" + expectedSeq + " is missing"
          : "entries #" + expectedSeq + " to #" + (seq - 1) + " are missing";
      return fail(expectedSeq, "sequence gap: " + missing + " (deleted)");
    }
    if (!ChainHash.expectedHash(entry).equals(entry.hash())) {
      return fail(seq, "hash mismatch: the content of entry #" + seq + " was changed");
    }
    if (!entry.prevHash().equals(previousHash)) {
      if (seq == 1) {
        return fail(seq, "prev_hash mismatch: the first entry does not start from the genesis hash");
      }
      return fail(seq - 1, checked - 1, "prev_hash mismatch: entry #" + (seq - 1)
          + " does not match the hash entry #" + seq + " records for it (changed and re-hashed, or replaced)");
    }
    previousHash = entry.hash();
    expectedSeq = seq + 1;
    checked++;
    return true;
  }

  /** Fails the walk at {@code seq} for a reason found outside the entries (e.g. an unreadable line). */
  void fail(String reason) {
    if (broken == null) {
      broken = VerifyResult.broken(checked, expectedSeq, reason);
    }
  }

  long nextSeq() {
    return expectedSeq;
  }

  /** The result for the entries seen, with nothing to compare the end with (an export). */
  VerifyResult result() {
    return broken != null ? broken : VerifyResult.intact(checked);
  }

  /**
   * The result, also comparing the last entry with the head row the appends keep: entries cut
   * off at the end leave no broken link behind, only a head that points past the last entry.
   */
  VerifyResult result(long headSeq, String headHash) {
    if (broken != null) {
      return broken;
    }
    long lastSeq = expectedSeq - 1;
    if (headSeq > lastSeq) {
      String missing = headSeq == lastSeq + 1
          ? "entry #" + headSeq + " is missing"
          : "entries #" + (lastSeq + 1) + " to #" + headSeq + " are missing";
      return VerifyResult.broken(checked, lastSeq + 1,
          "last entry missing: " + missing + " at the end (audit_head records #" + headSeq + ")");
    }
    if (headSeq < lastSeq) {
      return VerifyResult.broken(checked, headSeq + 1, "entry #" + (headSeq + 1)
          + " is not recorded in audit_head (inserted around the append path)");
    }
    if (lastSeq > 0 && !headHash.equals(previousHash)) {
      return VerifyResult.broken(checked - 1, lastSeq, "last entry mismatch: entry #" + lastSeq
          + " does not match the hash audit_head records for it (changed and re-hashed)");
    }
    return VerifyResult.intact(checked);
  }

  /**
   * The result of an export, also comparing its last entry with the end the export recorded
   * ({@link ExportEnd}): a file cut short breaks no link, it only ends before that end.
   */
  VerifyResult result(ExportEnd recorded) {
    if (broken != null) {
      return broken;
    }
    long lastSeq = expectedSeq - 1;
    String ends = lastSeq == 0 ? "file ends after its first line (no entry)" : "file ends after entry #" + lastSeq;
    if (lastSeq < recorded.entries()) {
      return VerifyResult.broken(checked, lastSeq + 1, ends + "; " + recorded.describe() + " (entries cut off its end)");
    }
    if (lastSeq > recorded.entries()) {
      return VerifyResult.broken(recorded.entries(), recorded.entries() + 1, "entry #" + (recorded.entries() + 1)
          + " is past the end of the export: " + recorded.describe() + " (added after it was written)");
    }
    if (!recorded.lastHash().equals(previousHash)) {
      return VerifyResult.broken(Math.max(checked - 1, 0), Math.max(lastSeq, 1), ends + ", at hash " + previousHash
          + "; " + recorded.describe() + " (the last entry or the record was changed)");
    }
    return VerifyResult.intact(checked);
  }

  private boolean fail(long seq, String reason) {
    return fail(seq, checked, reason);
  }

  private boolean fail(long seq, long intact, String reason) {
    broken = VerifyResult.broken(intact, seq, reason);
    return false;
  }
}
