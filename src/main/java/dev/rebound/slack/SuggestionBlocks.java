package dev.rebound.slack;

import static com.slack.api.model.block.Blocks.actions;
import static com.slack.api.model.block.Blocks.context;
import static com.slack.api.model.block.Blocks.header;
import static com.slack.api.model.block.Blocks.section;
import static com.slack.api.model.block.composition.BlockCompositions.markdownText;
import static com.slack.api.model.block.composition.BlockCompositions.plainText;
import static com.slack.api.model.block.element.BlockElements.button;

import dev.rebound.agent.GuidedSuggestions;
import dev.rebound.runbook.Step;
import java.util.ArrayList;
import java.util.List;

/**
 * The guided-mode message for an incident, in Block Kit: affected assets and impact, the three
 * most similar past incidents with how they were resolved, the suggested runbook with its plan
 * (and a caution when its last drill failed, is old or is missing), and a "Start run" button when the runbook may be started. Text from incidents and runbooks is
 * data: it is escaped, never interpreted as Slack markup that could mention people or channels.
 */
final class SuggestionBlocks {
  static final String START_RUN = "rebound_start_run";
  private static final int SIMILAR = 3;

  private SuggestionBlocks() {}

  static String fallbackText(Suggestion s) {
    return "Incident " + s.incidentId() + ": " + s.title();
  }

  static List<com.slack.api.model.block.LayoutBlock> blocks(Suggestion s) {
    List<com.slack.api.model.block.LayoutBlock> blocks = new ArrayList<>();
    blocks.add(header(h -> h.text(plainText(SlackText.cut(fallbackText(s), 150)))));
    blocks.add(section(b -> b.text(markdownText(impact(s)))));
    blocks.add(section(b -> b.text(markdownText(similar(s.guided())))));
    blocks.add(section(b -> b.text(markdownText(runbook(s)))));
    s.drillCaution().ifPresent(caution -> blocks.add(context(c -> c.elements(List.of(markdownText(
        ":warning: *Recovery not proven by a drill:* `" + SlackText.escape(s.best().orElseThrow().id()) + "` "
            + SlackText.escape(caution)))))));
    s.best().filter(GuidedSuggestions.Suggested::startable).ifPresent(best -> blocks.add(actions(a -> a
        .blockId("rebound_incident_actions")
        .elements(List.of(button(b -> b.actionId(START_RUN).style("primary")
            .text(plainText("Start run"))
            .value(s.incidentId() + " " + best.id() + " " + best.version())))))));
    List<String> notes = new ArrayList<>();
    notes.add(s.mode().equals("model")
        ? "Mention the app in this thread to ask the agent."
        : "Guided mode (no model configured): suggestions from Rebound's own retrieval and runbooks.");
    if (!s.guided().problems().isEmpty()) {
      notes.add("Not available: " + String.join("; ", s.guided().problems()));
    }
    blocks.add(context(c -> c.elements(List.of(markdownText(SlackText.escape(String.join(" ", notes)))))));
    return blocks;
  }

  private static String impact(Suggestion s) {
    StringBuilder sb = new StringBuilder("*Affected assets:* ");
    // The incident names none: the runbook's assets are a lead, not what is known to be broken, and
    // the impact and RTO that follow from them are conditional.
    boolean lead = !s.assetsNamed() && !s.assets().isEmpty();
    if (!lead) {
      sb.append(s.assets().isEmpty() ? "none identified yet" : codes(s.assets()));
    } else {
      sb.append("none named yet\n*Assets the suggested runbook acts on:* ").append(codes(s.assets()));
    }
    sb.append(lead ? "\n*Impact, if those are down:* " : "\n*Impact:* ");
    if (s.downstream().isEmpty()) {
      sb.append("nothing known downstream");
    } else {
      sb.append("downstream ").append(codes(s.downstream()));
    }
    s.tightestRto().ifPresent(rto -> sb.append(lead ? "\n*Tightest RTO, if so:* " : "\n*Tightest RTO:* ")
        .append(SlackText.escape(rto)));
    return sb.toString();
  }

  private static String similar(GuidedSuggestions g) {
    if (g.similarIncidents().isEmpty()) {
      return "*Similar past incidents:* none found";
    }
    StringBuilder sb = new StringBuilder("*Most similar past incidents*");
    g.similarIncidents().stream().limit(SIMILAR).forEach(i -> {
      sb.append("\n• *").append(SlackText.escape(i.id())).append("* ").append(SlackText.escape(i.title()))
          .append(" (score ").append(String.format(java.util.Locale.ROOT, "%.2f", i.score())).append(")");
      i.unresolvedNote().ifPresent(note -> sb.append("\n    :warning: _").append(SlackText.escape(note)).append("_"));
      if (!i.resolution().isBlank()) {
        sb.append("\n    _Resolved:_ ").append(SlackText.escape(SlackText.cut(i.resolution(), 300)));
      }
      if (!i.runbooksUsed().isEmpty()) {
        sb.append("\n    _Runbooks used:_ ").append(codes(i.runbooksUsed()));
      }
    });
    return SlackText.cut(sb.toString(), 2900);
  }

  private static String runbook(Suggestion s) {
    if (s.best().isEmpty()) {
      return "*Suggested runbook:* none fits yet";
    }
    GuidedSuggestions.Suggested best = s.best().get();
    StringBuilder sb = new StringBuilder("*Suggested runbook:* `").append(SlackText.escape(best.id())).append("` v")
        .append(best.version()).append(" ").append(SlackText.escape(best.title())).append(" (")
        .append(SlackText.escape(best.status())).append(")");
    s.plan().ifPresent(runbook -> {
      sb.append("\n*Plan:*");
      for (Step step : runbook.steps()) {
        sb.append("\n").append(step.index() + 1).append(". ").append(SlackText.escape(step.title()))
            .append(" (`").append(SlackText.escape(step.id())).append("`, risk ").append(step.risk().label())
            .append(")");
      }
    });
    return SlackText.cut(sb.toString(), 2900);
  }

  private static String codes(List<String> ids) {
    return String.join(", ", ids.stream().map(id -> "`" + SlackText.escape(id) + "`").toList());
  }
}
