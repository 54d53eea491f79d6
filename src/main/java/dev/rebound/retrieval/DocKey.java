package dev.rebound.retrieval;

/** A document's identity in the index: ids are unique per kind. */
public record DocKey(DocKind kind, String id) {
  @Override
  public String toString() {
    return kind.wireName() + ":" + id;
  }
}
