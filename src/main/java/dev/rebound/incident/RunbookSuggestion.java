package dev.rebound.incident;

import java.util.List;

/** A runbook suggested for an incident, best first, with why. */
public record RunbookSuggestion(String runbookId, int version, String title, double score, List<String> reasons) {}
