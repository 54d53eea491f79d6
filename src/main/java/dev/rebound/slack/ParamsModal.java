package dev.rebound.slack;

import static com.slack.api.model.block.Blocks.input;
import static com.slack.api.model.block.Blocks.section;
import static com.slack.api.model.block.composition.BlockCompositions.markdownText;
import static com.slack.api.model.block.composition.BlockCompositions.option;
import static com.slack.api.model.block.composition.BlockCompositions.plainText;
import static com.slack.api.model.block.element.BlockElements.plainTextInput;
import static com.slack.api.model.block.element.BlockElements.staticSelect;

import com.fasterxml.jackson.databind.JsonNode;
import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.block.composition.OptionObject;
import com.slack.api.model.block.element.BlockElement;
import com.slack.api.model.view.View;
import com.slack.api.model.view.ViewClose;
import com.slack.api.model.view.ViewState;
import com.slack.api.model.view.ViewSubmit;
import com.slack.api.model.view.ViewTitle;
import dev.rebound.engine.check.ParamChoiceReader;
import dev.rebound.error.ValidationException;
import dev.rebound.runbook.ParamSpec;
import dev.rebound.runbook.Runbook;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The form Slack shows when "Start run" is pressed for a runbook that takes parameters: one input
 * per parameter (its block id is the parameter's name), pre-filled with the default, with its type
 * and description as the hint. A parameter whose runbook names candidates ({@code choices}) is a
 * menu of them, picked with a tap where typing an id on a phone is slow and error-prone; without
 * candidates (none found, or the datasource failed) it is a text input like the others. What the run is for (incident, runbook and the version
 * that was suggested, where to post) travels in {@code private_metadata}, which only Slack and
 * Rebound see; the submission is checked again against the runbook as it is then.
 */
final class ParamsModal {
  static final String CALLBACK_ID = "rebound_start_run_params";
  static final String VALUE = "value";
  private static final int SLACK_TEXT_LIMIT = 150;
  /** Slack's limit on an option's text. */
  private static final int OPTION_TEXT_LIMIT = 75;

  private ParamsModal() {}

  /** What the form starts, and where the run's status goes. */
  record Target(String incident, String runbookId, int version, String channel, String thread) {
    String metadata() {
      return String.join(" ", incident, runbookId, String.valueOf(version), channel, thread);
    }

    static Target parse(String metadata) {
      String[] v = metadata == null ? new String[0] : metadata.split(" ");
      if (v.length != 5) {
        throw new ValidationException("the parameter form carries no run to start");
      }
      try {
        return new Target(v[0], v[1], Integer.parseInt(v[2]), v[3], v[4]);
      } catch (NumberFormatException e) {
        throw new ValidationException("the parameter form's runbook version is not a number");
      }
    }
  }

  /**
   * @param candidates by parameter name, what its {@code choices} query found; a parameter
   *     missing here, or with none, gets a text input
   * @param consoleUrl where a person goes for a value that is not among the candidates
   */
  static View view(Runbook runbook, Target target, Map<String, List<ParamChoiceReader.Choice>> candidates,
      Optional<String> consoleUrl) {
    List<LayoutBlock> blocks = new ArrayList<>();
    blocks.add(section(s -> s.text(markdownText("*" + SlackText.escape(runbook.title()) + "* (`"
        + SlackText.escape(runbook.id()) + "` v" + runbook.version() + ") for incident `"
        + SlackText.escape(target.incident()) + "`. Each step still needs its approval before it runs."))));
    for (ParamSpec p : runbook.params()) {
      // Slack holds an option's value in 150 characters and refuses a menu without options.
      List<ParamChoiceReader.Choice> offered = candidates.getOrDefault(p.name(), List.of()).stream()
          .filter(c -> c.value().length() <= SLACK_TEXT_LIMIT).toList();
      String hint = offered.isEmpty() ? hint(p) : sentence(hint(p)) + " Not listed? Start the run in the console"
          + consoleUrl.map(u -> ": " + u + "/#/runbooks/" + runbook.id()).orElse("");
      blocks.add(input(i -> i.blockId(p.name()).optional(!p.required())
          .label(plainText(SlackText.cut(p.name(), SLACK_TEXT_LIMIT)))
          .hint(plainText(SlackText.cut(hint, SLACK_TEXT_LIMIT * 10)))
          .element(offered.isEmpty() ? textInput(p) : menu(p, offered))));
    }
    return View.builder().type("modal").callbackId(CALLBACK_ID).privateMetadata(target.metadata())
        .title(ViewTitle.builder().type("plain_text").text("Start run").build())
        .submit(ViewSubmit.builder().type("plain_text").text("Start").build())
        .close(ViewClose.builder().type("plain_text").text("Cancel").build())
        .blocks(blocks).build();
  }

  private static BlockElement textInput(ParamSpec p) {
    return plainTextInput(t -> t.actionId(VALUE).initialValue(p.defaultValue().map(ParamsModal::text).orElse(null)));
  }

  private static BlockElement menu(ParamSpec p, List<ParamChoiceReader.Choice> offered) {
    List<OptionObject> options = offered.stream().map(c -> option(plainText(SlackText.cut(
        c.label().isEmpty() ? c.value() : c.value() + " · " + c.label(), OPTION_TEXT_LIMIT)), c.value())).toList();
    Optional<String> initial = p.defaultValue().map(ParamsModal::text);
    return staticSelect(s -> s.actionId(VALUE).placeholder(plainText("choose one"))
        .options(options).initialOption(options.stream().filter(o -> initial.equals(Optional.of(o.getValue())))
            .findFirst().orElse(null)));
  }

  /** The values typed or picked, by parameter name; empty inputs are left out, so defaults apply. */
  static Map<String, String> values(ViewState state) {
    Map<String, String> out = new LinkedHashMap<>();
    if (state == null || state.getValues() == null) {
      return out;
    }
    state.getValues().forEach((block, actions) -> {
      ViewState.Value v = actions == null ? null : actions.get(VALUE);
      String given = v == null ? null
          : v.getSelectedOption() != null ? v.getSelectedOption().getValue() : v.getValue();
      if (given != null && !given.isBlank()) {
        out.put(block, given);
      }
    });
    return out;
  }

  /**
   * Binding errors ({@code param NAME: ...}) as Slack's {@code response_action: errors}, each under
   * its parameter's input; a problem naming no input goes under the first one.
   */
  static Map<String, String> errors(Runbook runbook, List<String> problems) {
    Map<String, String> out = new LinkedHashMap<>();
    String first = runbook.params().get(0).name();
    for (String problem : problems) {
      String block = runbook.params().stream().map(ParamSpec::name)
          .filter(n -> problem.startsWith("param " + n + ":") || problem.startsWith("param " + n + " "))
          .findFirst().orElse(first);
      out.merge(block, problem, (a, b) -> a + "; " + b);
    }
    return out;
  }

  private static String hint(ParamSpec p) {
    return p.type() + (p.required() ? ", required" : ", optional") + p.description().map(d -> ". " + d).orElse("");
  }

  /** The text ended as a sentence: a description that ends with its own full stop gets no second one. */
  private static String sentence(String text) {
    return text.endsWith(".") ? text : text + ".";
  }

  private static String text(JsonNode value) {
    return value.isTextual() ? value.asText() : value.toString();
  }
}
