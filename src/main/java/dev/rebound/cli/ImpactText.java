package dev.rebound.cli;

import dev.rebound.inventory.AssetSummaryView;
import dev.rebound.inventory.ImpactReportView;
import java.io.PrintWriter;

/** An impact report for a person: the failed asset, the deadline, then one row per affected asset. */
final class ImpactText {
  private ImpactText() {}

  static void print(ImpactReportView view, PrintWriter out) {
    AssetSummaryView failed = view.failedAsset();
    out.println("impact of " + failed.id() + " (" + failed.name() + ", " + failed.kind().yamlName()
        + tier(failed.tier()) + ", RTO " + failed.rto() + ")");
    ImpactReportView.TightestRto tightest = view.tightestRto();
    if (tightest.assetId().equals(failed.id())) {
      out.println("tightest RTO: " + tightest.rto() + " (its own)");
    } else {
      out.println("tightest RTO: " + tightest.rto() + " (" + tightest.assetId()
          + " stays down until " + failed.id() + " is back): recover within " + tightest.rto() + ", not " + failed.rto());
    }
    if (view.affected().isEmpty()) {
      out.println("nothing else is affected: no asset depends on or is derived from it");
      return;
    }
    out.println(Words.count(view.affectedCount(), "affected asset") + ", nearest first:");
    Table table = new Table("  ASSET", "KIND", "TIER", "RTO", "VIA", "PATH");
    for (ImpactReportView.Affected a : view.affected()) {
      table.row("  " + a.id(), a.kind().yamlName(), a.tier() == null ? "-" : String.valueOf(a.tier()), a.rto(),
          a.via().jsonName(), String.join(" -> ", a.path()));
    }
    table.print(out);
  }

  static String tier(Integer tier) {
    return tier == null ? "" : ", tier " + tier;
  }
}
