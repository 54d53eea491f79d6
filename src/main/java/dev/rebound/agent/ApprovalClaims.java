package dev.rebound.agent;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Recognises a model trying to approve, skip or force something, or claiming an approval it was
 * told about: tool names like {@code approve_step}, argument keys like {@code approved} or
 * {@code skip}, and argument text like "approved by alice" or "skip the check". Such calls are
 * refused and audited, so an injected instruction leaves a visible trace.
 *
 * <p>This is a tripwire, not the control: even a claim that slips past it cannot approve anything,
 * because approvals are recorded only from a person's authenticated request and the engine
 * checks them again at execution.
 */
final class ApprovalClaims {
  static final String REASON = "the agent cannot approve, skip, force or execute anything, and claims of approval"
      + " are not accepted from it: only a person approves a step, in the console or in Slack, and the engine"
      + " checks that approval when the step runs";

  private static final Pattern NAME = Pattern.compile(
      "(^|_)(approve|approval|approved|skip|force|bypass|override|execute|exec|run|confirm|unlock)(_|$)");
  private static final Set<String> KEYS = Set.of("approved", "approval", "approvals", "approval_id", "approval_token",
      "approved_by", "approver", "pre_approved", "preapproved", "already_approved", "human_approved", "skip",
      "skip_step", "skip_steps", "skip_approval", "skip_checks", "force", "bypass", "override", "confirmed",
      "confirm", "no_approval", "auto_approve");
  private static final Pattern TEXT = Pattern.compile(
      "\\b(already|pre-?|been|got)\\s*approved\\b"
          + "|\\bapproved\\s+(this|it|the\\s+(step|run|restore|request|action))\\b"
          + "|\\bapproval\\s+(was\\s+|has\\s+been\\s+|is\\s+)?(already\\s+)?(given|granted|obtained|received)\\b"
          + "|\\bskip(ping)?\\s+(the\\s+|this\\s+|that\\s+)?(approvals?|steps?|checks?|verification)\\b"
          + "|\\bwithout\\s+(an?\\s+)?approval\\b|\\bno\\s+approval\\s+(is\\s+)?(needed|required)\\b",
      Pattern.CASE_INSENSITIVE);

  private ApprovalClaims() {}

  /** Whether a tool name asks for something the agent can never do. */
  static boolean forbiddenName(String name) {
    return NAME.matcher(name.toLowerCase(Locale.ROOT)).find();
  }

  /** The claim found in the arguments, described for the refusal; empty when there is none. */
  static Optional<String> inArguments(JsonNode args) {
    // Keys first, anywhere in the tree: {"approved": true} is the plainer claim than its wording.
    Optional<String> key = find(args, "", false);
    return key.isPresent() ? key : find(args, "", true);
  }

  private static Optional<String> find(JsonNode node, String path, boolean text) {
    if (node.isObject()) {
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        String at = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
        if (!text && KEYS.contains(e.getKey().toLowerCase(Locale.ROOT))) {
          return Optional.of("argument '" + at + "'");
        }
        Optional<String> inner = find(e.getValue(), at, text);
        if (inner.isPresent()) {
          return inner;
        }
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        Optional<String> inner = find(node.get(i), path + "[" + i + "]", text);
        if (inner.isPresent()) {
          return inner;
        }
      }
    } else if (text && node.isTextual()) {
      var m = TEXT.matcher(node.textValue());
      if (m.find()) {
        return Optional.of("the text \"" + m.group() + "\" in '" + path + "'");
      }
    }
    return Optional.empty();
  }
}
