package dev.rebound.incident;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every incident as last read, with the table fingerprint it matches: the row count and the sum
 * of each row's {@link #rowHash} (the first 32 bits of its content hash, which covers every
 * field). PostgreSQL computes the same sum with {@link #FINGERPRINT_SQL}, so a cheap aggregate
 * query tells whether the copy is still the table. Immutable.
 */
record IncidentSnapshot(List<Incident> incidents, Map<String, Integer> hashes, long hashSum) {
  /** The per-row hash in SQL: the content hash's first 8 hex digits as a signed 32-bit integer. */
  static final String ROW_HASH_SQL = "('x' || substr(content_hash, 1, 8))::bit(32)::int";
  static final String FINGERPRINT_SQL = "select count(*), coalesce(sum(" + ROW_HASH_SQL + "), 0) from incidents";
  /**
   * The table's order: newest first; incidents of the same second (the API records the time to
   * the second) by id, the longer and then the greater first, so the numbered ids reported through
   * the API ({@code INC-2026-100} after {@code INC-2026-099}) come newest first too. {@link
   * #ORDER_SQL} is the same order in SQL (bytewise, as Java compares these ASCII ids).
   */
  static final Comparator<Incident> ORDER = Comparator.comparing(Incident::occurredAt)
      .thenComparingInt((Incident i) -> i.id().length()).thenComparing(Incident::id).reversed();
  static final String ORDER_SQL = "order by occurred_at desc, length(id) desc, id collate \"C\" desc";

  static int rowHash(String contentHash) {
    return (int) Long.parseLong(contentHash.substring(0, 8), 16);
  }

  /** From rows read in the table's order, each with its stored content hash. */
  static IncidentSnapshot of(List<Incident> incidents, List<String> contentHashes) {
    Map<String, Integer> hashes = new LinkedHashMap<>();
    long sum = 0;
    for (int i = 0; i < incidents.size(); i++) {
      int h = rowHash(contentHashes.get(i));
      hashes.put(incidents.get(i).id(), h);
      sum += h;
    }
    return new IncidentSnapshot(List.copyOf(incidents), Map.copyOf(hashes), sum);
  }

  boolean matches(long count, long sum) {
    return count == incidents.size() && sum == hashSum;
  }

  /** The copy after {@code incident} was written (added or replaced by id), as upsert stores it. */
  IncidentSnapshot with(Incident incident) {
    int h = rowHash(incident.contentHash());
    List<Incident> out = new ArrayList<>(incidents.size() + 1);
    incidents.stream().filter(i -> !i.id().equals(incident.id())).forEach(out::add);
    out.add(incident);
    out.sort(ORDER);
    Map<String, Integer> newHashes = new LinkedHashMap<>(hashes);
    Integer old = newHashes.put(incident.id(), h);
    return new IncidentSnapshot(List.copyOf(out), Map.copyOf(newHashes), hashSum - (old == null ? 0 : old) + h);
  }
}
