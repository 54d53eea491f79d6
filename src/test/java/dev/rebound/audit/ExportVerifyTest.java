package dev.rebound.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link AuditVerifier#verifyExport} on files built in memory: no database. */
class ExportVerifyTest {
  @Test
  void an_untouched_export_without_a_record_of_its_end_verifies() {
    VerifyResult result = verify(lines(TestChains.chain(5)));

    assertThat(result).isEqualTo(VerifyResult.intact(5).withEndUnknown());
  }

  @Test
  void an_empty_file_is_an_intact_empty_chain_whose_end_is_unknown() {
    assertThat(verify(List.of())).isEqualTo(VerifyResult.intact(0).withEndUnknown());
  }

  @Test
  void an_edited_line_is_named_by_its_seq() {
    List<String> lines = lines(TestChains.chain(5));
    lines.set(2, lines.get(2).replace("\"alice\"", "\"mallory\""));

    VerifyResult result = verify(lines);

    assertThat(result.ok()).isFalse();
    assertThat(result.firstBrokenSeq()).hasValue(3);
    assertThat(result.entriesChecked()).isEqualTo(2);
    assertThat(result.summary())
        .isEqualTo("audit chain BROKEN at entry #3: hash mismatch: the content of entry #3 was changed");
  }

  @Test
  void a_removed_line_is_a_gap_naming_the_missing_seq() {
    List<String> lines = lines(TestChains.chain(5));
    lines.remove(1);

    VerifyResult result = verify(lines);

    assertThat(result.firstBrokenSeq()).hasValue(2);
    assertThat(result.reason()).hasValue("sequence gap: entry #2 is missing (deleted)");
  }

  @Test
  void an_entry_changed_and_rehashed_is_named_though_only_the_next_link_breaks() {
    List<AuditEntry> chain = new ArrayList<>(TestChains.chain(5));
    ObjectNode details = (ObjectNode) chain.get(1).details();
    details.put("note", "nothing happened here");
    chain.set(1, TestChains.rehashed(TestChains.withDetails(chain.get(1), details)));

    VerifyResult result = verify(lines(chain));

    assertThat(result.firstBrokenSeq()).hasValue(2);
    assertThat(result.entriesChecked()).isEqualTo(1);
    assertThat(result.reason().orElseThrow()).startsWith("prev_hash mismatch: entry #2 does not match");
  }

  @Test
  void a_field_added_to_a_line_breaks_the_chain_there_as_the_hash_does_not_cover_it() {
    List<String> lines = lines(TestChains.chain(3));
    lines.set(1, lines.get(1).replace("\"details\":", "\"note\":\"approved by the CEO\",\"details\":"));

    VerifyResult result = verify(lines);

    assertThat(result.firstBrokenSeq()).hasValue(2);
    assertThat(result.reason()).hasValue(
        "line 2 is not an audit entry: field 'note' is not part of an audit entry (its hash does not cover it)");
  }

  @Test
  void exact_numbers_survive_the_round_trip() {
    AuditEvent event = AuditEvent.of(ActorType.SYSTEM, "rebound", "check.passed", "check", "freshness")
        .withDetails(AuditJson.parse(
            "{\"big\": 123456789012345678901234567890, \"precise\": 0.1000000000000000055511151231257827,"
                + " \"huge\": 1e300, \"tiny\": -2.5E-10}"));
    AuditEntry entry = TestChains.entry(1, TestChains.START, event, ChainHash.GENESIS);

    assertThat(verify(List.of(entry.toJsonLine()))).isEqualTo(VerifyResult.intact(1).withEndUnknown());
    assertThat(entry.toJsonLine()).contains("0.1000000000000000055511151231257827");
  }

  @Test
  void a_line_that_is_not_an_entry_breaks_the_chain_at_the_next_seq() {
    List<String> lines = lines(TestChains.chain(3));
    lines.set(2, "{\"seq\": 3, \"oops\"");

    VerifyResult result = verify(lines);

    assertThat(result.firstBrokenSeq()).hasValue(3);
    assertThat(result.reason().orElseThrow()).startsWith("line 3 is not an audit entry:");
  }

  @Test
  void a_chain_that_does_not_start_at_genesis_is_broken_at_its_first_entry() {
    List<AuditEntry> chain = TestChains.chain(2);
    List<String> lines = lines(chain.subList(1, 2));

    assertThat(verify(lines).reason()).hasValue("sequence gap: entry #1 is missing (deleted)");
  }

  @Test
  void an_export_that_records_its_end_and_holds_it_verifies_without_a_caveat() {
    List<AuditEntry> chain = TestChains.chain(5);

    VerifyResult result = verify(recorded(chain));

    assertThat(result).isEqualTo(VerifyResult.intact(5));
    assertThat(result.summary()).isEqualTo("audit chain intact: 5 entries");
  }

  @Test
  void entries_cut_off_the_end_of_an_export_that_records_its_end_are_caught() {
    List<AuditEntry> chain = TestChains.chain(5);
    List<String> lines = recorded(chain);

    VerifyResult result = verify(lines.subList(0, 4));

    assertThat(result.ok()).isFalse();
    assertThat(result.firstBrokenSeq()).hasValue(4);
    assertThat(result.entriesChecked()).isEqualTo(3);
    assertThat(result.summary()).isEqualTo("audit chain BROKEN at entry #4: file ends after entry #3; the export"
        + " recorded 5 entries ending at hash " + chain.get(4).hash() + " (entries cut off its end)");
  }

  @Test
  void an_export_cut_down_to_its_record_is_caught() {
    List<AuditEntry> chain = TestChains.chain(2);

    VerifyResult result = verify(recorded(chain).subList(0, 1));

    assertThat(result.reason().orElseThrow()).startsWith("file ends after its first line (no entry); the export"
        + " recorded 2 entries");
  }

  @Test
  void an_empty_log_exports_as_its_record_alone_and_verifies() {
    assertThat(verify(recorded(List.of()))).isEqualTo(VerifyResult.intact(0));
  }

  @Test
  void an_entry_added_after_the_recorded_end_is_caught() {
    List<AuditEntry> chain = TestChains.chain(4);
    List<String> lines = lines(chain);
    lines.add(0, new ExportEnd(3, chain.get(2).hash()).toJsonLine());

    VerifyResult result = verify(lines);

    assertThat(result.firstBrokenSeq()).hasValue(4);
    assertThat(result.reason().orElseThrow()).startsWith("entry #4 is past the end of the export");
  }

  @Test
  void a_last_hash_other_than_the_recorded_one_is_caught() {
    List<AuditEntry> chain = TestChains.chain(3);
    List<String> lines = lines(chain);
    lines.add(0, new ExportEnd(3, chain.get(1).hash()).toJsonLine());

    VerifyResult result = verify(lines);

    assertThat(result.firstBrokenSeq()).hasValue(3);
    assertThat(result.reason().orElseThrow()).contains("file ends after entry #3, at hash " + chain.get(2).hash())
        .endsWith("(the last entry or the record was changed)");
  }

  @Test
  void a_malformed_record_is_named_with_its_line() {
    List<String> lines = lines(TestChains.chain(2));
    lines.add(0, "{\"audit_export\":{\"entries\":\"two\",\"last_hash\":\"" + ChainHash.GENESIS + "\"}}");

    assertThat(verify(lines).reason())
        .hasValue("line 1 is not a valid record of the export's end: entries must be a whole number, 0 or more");
  }

  @Test
  void a_record_anywhere_but_the_first_line_is_not_an_entry() {
    List<AuditEntry> chain = TestChains.chain(2);
    List<String> lines = lines(chain);
    lines.add(1, new ExportEnd(2, chain.get(1).hash()).toJsonLine());

    assertThat(verify(lines).reason().orElseThrow()).startsWith("line 2 is not an audit entry: field 'audit_export'");
  }

  @Test
  void an_export_without_a_record_still_verifies_but_says_its_end_is_unknown() {
    VerifyResult result = verify(lines(TestChains.chain(2)));

    assertThat(result.ok()).isTrue();
    assertThat(result.summary()).isEqualTo("audit chain intact: 2 entries; completeness cannot be checked: the file"
        + " does not record where the export ended (written by an older version), so entries cut off after the last"
        + " one would go unnoticed");
  }

  /** As {@link AuditExport} writes them: the record of the end, then the entries. */
  private static List<String> recorded(List<AuditEntry> entries) {
    List<String> lines = lines(entries);
    lines.add(0, new ExportEnd(entries.size(), entries.isEmpty() ? ChainHash.GENESIS
        : entries.get(entries.size() - 1).hash()).toJsonLine());
    return lines;
  }

  private static List<String> lines(List<AuditEntry> entries) {
    List<String> lines = new ArrayList<>();
    entries.forEach(e -> lines.add(e.toJsonLine()));
    return lines;
  }

  private static VerifyResult verify(List<String> lines) {
    String text = lines.isEmpty() ? "" : String.join("\n", lines) + "\n";
    return AuditVerifier.verifyExport(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
  }
}
