package dev.rebound.slack;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.slack.api.app_backend.slash_commands.SlashCommandPayloadParser;
import com.slack.api.app_backend.slash_commands.payload.SlashCommandPayload;
import dev.rebound.digest.Sha256;
import dev.rebound.error.ValidationException;
import dev.rebound.http.Responses;
import dev.rebound.incident.Incident;
import dev.rebound.incident.Reporter;
import dev.rebound.inventory.Person;
import dev.rebound.inventory.Role;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /rebound <what is broken>}: answered at once (Slack gives three seconds) with a note
 * only the caller sees; then the incident is opened through the incident service (as
 * {@code POST /api/incidents} does) and the guided suggestion is posted in the channel. A
 * leading {@code sev1}..{@code sev4} sets the severity (default sev3). The caller must be a
 * responder of {@code knowledge/team.yaml}. A retried delivery (same trigger id) opens nothing.
 */
final class CommandHandler {
  private static final Logger LOG = LoggerFactory.getLogger(CommandHandler.class);
  private static final Pattern SEVERITY = Pattern.compile("(?i)^(sev[1-4])\\b[\\s:,-]*(.*)$", Pattern.DOTALL);

  private final SlackDeps deps;
  private final SlackUsers users;
  private final SeenRequests seen;
  private final SuggestionPoster poster;

  CommandHandler(SlackDeps deps, SlackUsers users, SeenRequests seen, SuggestionPoster poster) {
    this.deps = deps;
    this.users = users;
    this.seen = seen;
    this.poster = poster;
  }

  void handle(RoutingContext ctx) {
    SlashCommandPayload p = new SlashCommandPayloadParser().parse(ctx.body().asString());
    String text = p.getText() == null ? "" : p.getText().strip();
    if (text.isEmpty() || text.equalsIgnoreCase("help")) {
      ephemeral(ctx, "Usage: " + p.getCommand() + " [sev1-sev4] <what is broken>, e.g. " + p.getCommand()
          + " online features stale since 14:05");
      return;
    }
    Optional<Person> person = users.person(p.getUserId());
    if (person.isEmpty()) {
      ephemeral(ctx, SlackUsers.unknown(p.getUserId()));
      return;
    }
    if (!person.get().has(Role.RESPONDER)) {
      ephemeral(ctx, "Opening an incident needs the responder role; knowledge/team.yaml gives " + person.get().id()
          + " " + person.get().highestRole().yamlName() + ". Nothing was done.");
      return;
    }
    String key = "command:" + (p.getTriggerId() != null ? p.getTriggerId() : Sha256.hex(ctx.body().asString()));
    seen.firstTime(key).onComplete(first -> {
      if (first.failed()) {
        ctx.fail(first.cause());
      } else if (!first.result()) {
        ctx.response().setStatusCode(200).end(); // Slack's retry of a command already handled
      } else {
        ephemeral(ctx, "Opening an incident for: " + SlackText.escape(SlackText.cut(text, Incident.MAX_TITLE)));
        open(p, person.get(), text).onFailure(e -> LOG.warn("/rebound from {} failed: {}", p.getUserId(), e.toString()));
      }
    });
  }

  private Future<?> open(SlashCommandPayload p, Person person, String text) {
    Matcher m = SEVERITY.matcher(text);
    String severity = "sev3";
    String what = text;
    if (m.matches() && !m.group(2).isBlank()) {
      severity = m.group(1).toLowerCase(Locale.ROOT);
      what = m.group(2).strip();
    }
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("title", SlackText.cut(what, Incident.MAX_TITLE));
    body.put("date", Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
    body.put("severity", severity);
    body.put("status", "open");
    body.put("detected_by", "engineer");
    body.putArray("symptoms").add(SlackText.cut(what, Incident.MAX_TITLE));
    body.put("body", "Reported in Slack by " + person.id() + ": " + what);
    return deps.incidents().report(body, Reporter.person(person.id(), java.util.Map.of("via", "slack",
            "channel", p.getChannelId())))
        .compose(poster::suggestion)
        .compose(s -> poster.post(p.getChannelId(), s))
        .recover(e -> {
          String why = e instanceof ValidationException ? e.getMessage() : "the incident could not be opened ("
              + e.getMessage() + ")";
          return ephemeralLater(p, why).compose(x -> Future.failedFuture(e));
        });
  }

  private Future<Boolean> ephemeralLater(SlashCommandPayload p, String text) {
    return poster.api().ephemeral(p.getChannelId(), p.getUserId(), Optional.empty(), text);
  }

  private static void ephemeral(RoutingContext ctx, String text) {
    Responses.ok(ctx, new JsonObject().put("response_type", "ephemeral").put("text", text));
  }
}
