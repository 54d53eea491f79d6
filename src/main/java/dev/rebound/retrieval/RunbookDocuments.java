package dev.rebound.retrieval;

import dev.rebound.runbook.Action;
import dev.rebound.runbook.Runbook;
import dev.rebound.runbook.Step;
import java.util.ArrayList;
import java.util.List;

/**
 * A runbook as a document: title; summary, symptoms and assets as keywords (what an alert's
 * words meet first); one section per step (title, description, manual instructions).
 */
public final class RunbookDocuments {
  private RunbookDocuments() {}

  public static Document of(Runbook r, String source) {
    StringBuilder keywords = new StringBuilder(r.summary() == null ? "" : r.summary().strip());
    if (!r.symptoms().isEmpty()) {
      keywords.append("\nSymptoms: ").append(String.join(", ", r.symptoms())).append('.');
    }
    if (!r.assets().isEmpty()) {
      keywords.append("\nAssets: ").append(String.join(", ", r.assets())).append('.');
    }
    List<Section> sections = new ArrayList<>();
    for (Step step : r.steps()) {
      StringBuilder text = new StringBuilder();
      step.description().ifPresent(d -> text.append(d.strip()).append('\n'));
      if (step.action() instanceof Action.Manual manual && manual.instructions() != null) {
        text.append(manual.instructions().strip()).append('\n');
      }
      text.append("(").append(step.action().type()).append(" step, risk ").append(step.risk().name().toLowerCase(java.util.Locale.ROOT))
          .append(")");
      String heading = "Step " + (step.index() + 1) + ": " + (step.title() == null ? step.id() : step.title());
      sections.add(new Section(heading, text.toString()));
    }
    return new Document(DocKind.RUNBOOK, r.id(), r.title(), keywords.toString(), sections, source);
  }
}
