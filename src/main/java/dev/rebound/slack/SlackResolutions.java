package dev.rebound.slack;

import static com.slack.api.model.block.Blocks.actions;
import static com.slack.api.model.block.Blocks.section;
import static com.slack.api.model.block.composition.BlockCompositions.markdownText;
import static com.slack.api.model.block.composition.BlockCompositions.plainText;
import static com.slack.api.model.block.element.BlockElements.button;

import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.block.element.BlockElement;
import com.slack.api.model.view.View;
import dev.rebound.agent.AgentService;
import dev.rebound.config.SlackPolicy;
import dev.rebound.engine.Actor;
import dev.rebound.error.ConflictException;
import dev.rebound.error.ForbiddenException;
import dev.rebound.error.NotFoundException;
import dev.rebound.error.UnavailableException;
import dev.rebound.error.ValidationException;
import dev.rebound.incident.Incident;
import dev.rebound.inventory.Role;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolving an incident from Slack, once a run of it has recovered: the run's last reply offers
 * "Resolve incident" (and the postmortem draft in the console); the press opens
 * {@link ResolveModal} for responders (anyone else is refused at the press, as at Start run); its
 * submission resolves the incident as {@code POST /api/incidents/{id}/resolve} does, audited as
 * that person, and says so in the run's thread.
 */
final class SlackResolutions {
  private static final Logger LOG = LoggerFactory.getLogger(SlackResolutions.class);
  static final String RESOLVE = "rebound_resolve_incident";
  static final String POSTMORTEM = "rebound_postmortem";

  private final AgentService agent;
  private final SlackApi api;
  private final SlackPolicy policy;

  SlackResolutions(AgentService agent, SlackApi api, SlackPolicy policy) {
    this.agent = agent;
    this.api = api;
    this.policy = policy;
  }

  /** The run's last reply ({@code text}) with the buttons that lead on from a recovery. */
  static List<LayoutBlock> offer(String text, String incidentId, SlackPolicy policy) {
    List<BlockElement> buttons = new ArrayList<>();
    buttons.add(button(b -> b.actionId(RESOLVE).style("primary").text(plainText("Resolve incident")).value(incidentId)));
    policy.consoleUrl().ifPresent(console -> buttons.add(button(b -> b.actionId(POSTMORTEM)
        .text(plainText("Postmortem draft")).url(postmortemUrl(console, incidentId)))));
    return List.of(section(s -> s.text(markdownText(text))),
        actions(a -> a.blockId("rebound_after_recovery").elements(buttons)));
  }

  /** The press: the form, for a responder. */
  Future<?> open(Actor actor, InteractionHandler.Press press) {
    Optional<ForbiddenException> refused = refusal(actor);
    if (refused.isPresent()) {
      return Future.failedFuture(refused.get());
    }
    if (press.value().isBlank() || press.value().contains(" ")) {
      return Future.failedFuture(new ValidationException("the Resolve incident button names no incident"));
    }
    ResolveModal.Target target = new ResolveModal.Target(press.value(), press.channel(), press.thread());
    return api.openView(press.triggerId(), ResolveModal.view(target)).compose(opened -> opened
        ? Future.succeededFuture()
        : Future.failedFuture(new UnavailableException("Slack did not open the resolve form; resolve the incident"
            + " in the console: " + policy.consoleUrl().orElse("") + "/#/incidents/" + target.incident(), null)));
  }

  /** The submission: resolved (no errors; the thread is told), or the problems under their inputs. */
  Future<Map<String, String>> submit(Actor actor, View view) {
    ResolveModal.Target target = ResolveModal.Target.parse(view.getPrivateMetadata());
    Optional<ForbiddenException> refused = refusal(actor);
    if (refused.isPresent()) {
      return Future.succeededFuture(Map.of(ResolveModal.ROOT_CAUSE, refused.get().getMessage()));
    }
    return agent.resolve(target.incident(), ResolveModal.body(view.getState()), actor.id()).transform(done -> {
      if (done.failed()) {
        Throwable e = done.cause();
        if (e instanceof ValidationException invalid) {
          return Future.succeededFuture(ResolveModal.errors(invalid.problems()));
        }
        return e instanceof ConflictException || e instanceof NotFoundException
            ? Future.succeededFuture(Map.of(ResolveModal.ROOT_CAUSE, e.getMessage()))
            : Future.failedFuture(e);
      }
      // Resolved: the form closes whatever happens to the thread's reply, since an error would
      // invite resolving it again.
      return api.post(target.channel(), Optional.of(target.thread()), resolvedText(done.result(), actor), List.of())
          .<Map<String, String>>map(x -> Map.of())
          .recover(e -> {
            LOG.warn("incident {} resolved from Slack, the thread not told: {}", target.incident(), e.toString());
            return Future.succeededFuture(Map.of());
          });
    });
  }

  private String resolvedText(Incident incident, Actor actor) {
    return ":white_check_mark: Incident `" + SlackText.escape(incident.id()) + "` resolved by "
        + SlackText.escape(actor.id()) + ".\n*Root cause:* " + SlackText.escape(incident.rootCause())
        + "\n*Resolution:* " + SlackText.escape(incident.resolution())
        + policy.consoleUrl().map(console -> "\nPostmortem draft: " + postmortemUrl(console, incident.id())).orElse("");
  }

  private static String postmortemUrl(String console, String incidentId) {
    return console + "/#/incidents/" + incidentId + "/postmortem";
  }

  private static Optional<ForbiddenException> refusal(Actor actor) {
    return actor.role().allows(Role.RESPONDER) ? Optional.empty()
        : Optional.of(new ForbiddenException("resolving an incident needs role responder; " + actor.id() + " has "
            + actor.role().yamlName()));
  }
}
