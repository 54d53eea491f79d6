package dev.rebound.inventory;

import java.util.List;

/**
 * One entry of assets.yaml as read, before the cross-entry checks: its references keep the
 * position they were written at, so a dangling id or a cycle is reported where it can be fixed.
 * {@code id} is null when the entry has none; {@code asset} is null when a required field is
 * missing or invalid (the load fails then anyway, but the references are still checked).
 */
record AssetDraft(
    String label, Located id, Asset asset, Located owner, List<Upstream> upstream, List<Located> runbooks) {

  /** A reference to an asset this one is downstream of, as written in the file. */
  record Upstream(Located target, EdgeKind kind) {}
}
