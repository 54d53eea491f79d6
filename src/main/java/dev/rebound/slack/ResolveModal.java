package dev.rebound.slack;

import static com.slack.api.model.block.Blocks.input;
import static com.slack.api.model.block.Blocks.section;
import static com.slack.api.model.block.composition.BlockCompositions.markdownText;
import static com.slack.api.model.block.composition.BlockCompositions.plainText;
import static com.slack.api.model.block.element.BlockElements.plainTextInput;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.slack.api.model.view.View;
import com.slack.api.model.view.ViewClose;
import com.slack.api.model.view.ViewState;
import com.slack.api.model.view.ViewSubmit;
import com.slack.api.model.view.ViewTitle;
import dev.rebound.error.ValidationException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The form Slack shows when "Resolve incident" is pressed under a run that recovered: the root
 * cause and the resolution, which {@code POST /api/incidents/{id}/resolve} records (so the next
 * similar incident finds them). The incident and the thread to answer in travel in
 * {@code private_metadata}.
 */
final class ResolveModal {
  static final String CALLBACK_ID = "rebound_resolve_incident";
  static final String ROOT_CAUSE = "root_cause";
  static final String RESOLUTION = "resolution";
  static final String VALUE = "value";
  /** The longest text the resolution accepts (IncidentResolution.MAX_TEXT); Slack's input allows 3000. */
  private static final int MAX_LENGTH = 3000;

  private ResolveModal() {}

  /** The incident to resolve, and the thread to say so in. */
  record Target(String incident, String channel, String thread) {
    String metadata() {
      return String.join(" ", incident, channel, thread);
    }

    static Target parse(String metadata) {
      String[] v = metadata == null ? new String[0] : metadata.split(" ");
      if (v.length != 3) {
        throw new ValidationException("the resolve form carries no incident");
      }
      return new Target(v[0], v[1], v[2]);
    }
  }

  static View view(Target target) {
    return View.builder().type("modal").callbackId(CALLBACK_ID).privateMetadata(target.metadata())
        .title(ViewTitle.builder().type("plain_text").text("Resolve incident").build())
        .submit(ViewSubmit.builder().type("plain_text").text("Resolve").build())
        .close(ViewClose.builder().type("plain_text").text("Cancel").build())
        .blocks(List.of(
            section(s -> s.text(markdownText("Incident `" + SlackText.escape(target.incident()) + "`: what caused it"
                + " and what fixed it. The next similar incident finds them."))),
            field(ROOT_CAUSE, "Root cause", "Why it happened, in a sentence or two."),
            field(RESOLUTION, "Resolution", "What restored service.")))
        .build();
  }

  private static com.slack.api.model.block.LayoutBlock field(String block, String label, String hint) {
    return input(i -> i.blockId(block).label(plainText(label)).hint(plainText(hint))
        .element(plainTextInput(t -> t.actionId(VALUE).multiline(true).maxLength(MAX_LENGTH))));
  }

  /** The body of the resolve request: the two texts as typed (the resolution checks them). */
  static ObjectNode body(ViewState state) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    for (String field : List.of(ROOT_CAUSE, RESOLUTION)) {
      Map<String, ViewState.Value> actions = state == null || state.getValues() == null
          ? null : state.getValues().get(field);
      ViewState.Value v = actions == null ? null : actions.get(VALUE);
      body.put(field, v == null || v.getValue() == null ? "" : v.getValue());
    }
    return body;
  }

  /** The resolution's problems under the input each names; any other under the first. */
  static Map<String, String> errors(List<String> problems) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String problem : problems) {
      String block = problem.startsWith(RESOLUTION + " ") ? RESOLUTION : ROOT_CAUSE;
      out.merge(block, problem, (a, b) -> a + "; " + b);
    }
    return out;
  }
}
