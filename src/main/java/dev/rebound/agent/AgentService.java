package dev.rebound.agent;

import dev.langchain4j.model.chat.ChatModel;
import dev.rebound.engine.Actor;
import dev.rebound.error.UnavailableException;
import dev.rebound.error.ValidationException;
import dev.rebound.incident.Incident;
import io.vertx.core.Future;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chat of an incident, for the HTTP API (and later Slack and the console): one message in,
 * one {@link ChatReply} out, in model mode when a model is configured and its prompt loaded,
 * otherwise in guided mode. Never fails because the model did: a model error, a limit or a
 * timeout gives a clear message plus guided suggestions. Fails only for a bad request (400), an
 * unknown incident (404) or an audit log that cannot record the question (503).
 *
 * <p>Turns of one incident run one after another in this process; the conversation store guards
 * against interleaving with another replica. Non-blocking; the model call runs on a worker.
 */
public final class AgentService {
  private static final Logger LOG = LoggerFactory.getLogger(AgentService.class);
  static final String GUIDED_AUTHOR = "rebound-guided";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final AgentDeps deps;
  private final AgentSettings settings;
  private final ConversationStore conversations;
  private final AgentAudit audit;
  private final Guide guide;
  private final Optional<AgentLoop> loop;
  private final Optional<String> promptVersion;
  private final Optional<ChatReply.Degraded> unavailable;
  private final Postmortems postmortems;
  private final IncidentResolution resolution;
  private final Map<String, Future<?>> tails = new ConcurrentHashMap<>();

  private AgentService(AgentDeps deps, AgentSettings settings, ConversationStore conversations,
      Optional<AgentLoop> loop, Optional<String> promptVersion, Optional<ChatReply.Degraded> unavailable,
      Postmortems postmortems) {
    this.deps = deps;
    this.settings = settings;
    this.conversations = conversations;
    this.audit = new AgentAudit(deps.audit());
    this.guide = new Guide(deps);
    this.loop = loop;
    this.promptVersion = promptVersion;
    this.unavailable = unavailable;
    this.postmortems = postmortems;
    this.resolution = new IncidentResolution(deps);
  }

  /**
   * Builds the service: the chat model from {@code settings} (none: guided mode) and the system
   * prompt from {@code settings.promptsDir()}. Blocking (reads the prompt): call at start-up on a
   * worker or the main thread. A prompt that cannot be read leaves the service in guided mode,
   * saying why in every answer, rather than failing the start.
   */
  public static AgentService create(AgentDeps deps, AgentSettings settings, io.vertx.sqlclient.Pool pool) {
    return create(deps, settings, pool, ChatModelFactory.create(settings));
  }

  static AgentService create(AgentDeps deps, AgentSettings settings, io.vertx.sqlclient.Pool pool,
      Optional<ChatModel> model) {
    ConversationStore store = new ConversationStore(pool);
    Postmortems structuredOnly = new Postmortems(deps, Optional.empty(), Optional.empty(), settings);
    if (model.isEmpty()) {
      return new AgentService(deps, settings, store, Optional.empty(), Optional.empty(), Optional.empty(),
          structuredOnly);
    }
    Prompt prompt;
    try {
      prompt = Prompt.load(settings.promptsDir(), Prompt.SYSTEM);
    } catch (UnavailableException e) {
      LOG.error("agent runs in guided mode: {}", e.getMessage());
      return new AgentService(deps, settings, store, Optional.empty(), Optional.empty(),
          Optional.of(new ChatReply.Degraded("prompt_unavailable", e.getMessage())), structuredOnly);
    }
    String name = settings.endpoint().orElseThrow().modelName();
    AgentAudit audit = new AgentAudit(deps.audit());
    ModelCaller caller = new ModelCaller(deps.vertx(), model.get(), name, audit, settings, deps.masker(),
        prompt.version());
    ToolDispatcher dispatcher = new ToolDispatcher(audit, deps.masker(), settings.toolTimeout(),
        settings.maxArgumentChars(), settings.maxToolResultChars());
    AgentLoop loop = new AgentLoop(settings, caller, dispatcher, new MenuBuilder(deps, settings.toolTimeout()), prompt,
        name);
    Postmortems postmortems = structuredOnly;
    try {
      Prompt narrative = Prompt.load(settings.promptsDir(), Prompt.POSTMORTEM);
      postmortems = new Postmortems(deps, Optional.of(new ModelCaller(deps.vertx(), model.get(), name, audit,
          settings, deps.masker(), narrative.version())), Optional.of(narrative), settings);
    } catch (UnavailableException e) {
      LOG.warn("postmortem drafts will have no narrative: {}", e.getMessage());
    }
    return new AgentService(deps, settings, store, Optional.of(loop), Optional.of(prompt.version()),
        Optional.empty(), postmortems);
  }

  /** A postmortem draft of the incident (see {@link Postmortem}); {@code caller} is audited with the model call. */
  public Future<Postmortem> postmortem(String incidentId, Actor caller) {
    return postmortems.draft(incidentId, caller);
  }

  /**
   * Resolves the incident with {@code body} {@code {"root_cause", "resolution", "runbooks_used"?}}:
   * stored and indexed at once, audited as the caller's.
   */
  public Future<dev.rebound.incident.Incident> resolve(String incidentId, com.fasterxml.jackson.databind.JsonNode body,
      String caller) {
    return resolution.resolve(incidentId, body, caller);
  }

  /**
   * The guided-mode suggestions for the incident (similar incidents, runbooks, the step awaiting
   * approval) without a chat turn: what Slack posts when an incident opens. Never calls a model.
   */
  public Future<GuidedSuggestions> suggest(String incidentId) {
    return guide.suggest(incidentId);
  }

  /** {@code model} or {@code guided}: what an answer would be now. */
  public String mode() {
    return loop.isPresent() ? ChatReply.MODE_MODEL : ChatReply.MODE_GUIDED;
  }

  /**
   * Answers {@code message} about {@code incidentId} from {@code caller}, the authenticated person
   * (the requester of any run the agent proposes for them).
   *
   * @return fails with {@code ValidationException} (empty or too long message),
   *     {@code NotFoundException} (no such incident) or {@code UnavailableException} (the audit
   *     log cannot record the question)
   */
  public Future<ChatReply> chat(String incidentId, String message, Actor caller) {
    String text = message == null ? "" : message.strip();
    if (text.isEmpty()) {
      return Future.failedFuture(new ValidationException("message is empty: say what is broken or what to do"));
    }
    if (text.length() > settings.maxMessageChars()) {
      return Future.failedFuture(new ValidationException("message is " + text.length() + " characters long; at most "
          + settings.maxMessageChars() + " are accepted (paste logs as a link or attach them to the incident)"));
    }
    return deps.incidents().get(incidentId).compose(incident -> serialised(incidentId, () -> turn(incident, text,
        caller)));
  }

  /** The incident's conversation so far, oldest first (for the console). */
  public Future<List<ConversationEntry>> conversation(String incidentId) {
    return deps.incidents().get(incidentId).compose(i -> conversations.load(incidentId))
        .map(loaded -> loaded.messages().stream().map(ConversationEntry::of).toList());
  }

  private Future<ChatReply> turn(Incident incident, String text, Actor caller) {
    TurnContext turn = new TurnContext(incident.id(), caller, newTurnId(), Instant.now().plus(settings.turnTimeout()));
    return audit.messageReceived(turn, text)
        .recover(e -> Future.failedFuture(new UnavailableException(
            "the audit log cannot record this question, so it is not answered: " + e.getMessage(), e)))
        .compose(recorded -> conversations.load(incident.id()))
        .compose(loaded -> loop.isPresent() ? withModel(turn, incident, text, loaded)
            : guided(turn, text, loaded, unavailable))
        .compose(reply -> audit.replied(turn, reply.mode(), reply.degraded(), reply.toolCalls().size())
            .transform(done -> {
              if (done.failed()) {
                LOG.warn("chat reply for {} not audited: {}", incident.id(), done.cause().toString());
              }
              return Future.succeededFuture(reply);
            }));
  }

  private Future<ChatReply> withModel(TurnContext turn, Incident incident, String text,
      ConversationStore.Loaded loaded) {
    return loop.orElseThrow().run(turn, incident, loaded.messages(), text).compose(result -> {
      Future<Optional<GuidedSuggestions>> suggestions = result.degraded().isPresent()
          ? guide.suggest(turn.incidentId()).map(Optional::of)
          : Future.succeededFuture(Optional.empty());
      return suggestions.compose(g -> {
        String reply = result.reply() + g.map(s -> "\n\n" + Guide.text(turn.incidentId(), s)).orElse("");
        List<StoredMessage> messages = new ArrayList<>(result.messages());
        if (result.degraded().isPresent()) {
          messages.add(StoredMessage.guidedAnswer(GUIDED_AUTHOR, reply, g.orElseThrow(), turn.turnId()));
        }
        String mode = result.degraded().isPresent() && result.usage().modelCalls() > 0
            && result.calls().isEmpty() && isModelFailure(result.degraded().get())
            ? ChatReply.MODE_GUIDED : ChatReply.MODE_MODEL;
        return save(turn, loaded, messages, reply).map(saved -> new ChatReply(turn.incidentId(), mode, saved,
            result.degraded(), result.calls(), result.pending(), g, result.usage(), promptVersion));
      });
    });
  }

  private Future<ChatReply> guided(TurnContext turn, String text, ConversationStore.Loaded loaded,
      Optional<ChatReply.Degraded> why) {
    return guide.suggest(turn.incidentId()).compose(g -> {
      String intro = why.map(d -> "Guided mode: the agent is unavailable (" + d.message() + ").")
          .orElse("Guided mode: no model is configured (set REBOUND_OPENAI_BASE_URL, REBOUND_MODEL and, if the"
              + " endpoint needs one, REBOUND_OPENAI_API_KEY to chat with one).");
      String reply = intro + "\n\n" + Guide.text(turn.incidentId(), g);
      List<StoredMessage> messages = List.of(StoredMessage.user(turn.caller(), text, turn.turnId()),
          StoredMessage.guidedAnswer(GUIDED_AUTHOR, reply, g, turn.turnId()));
      List<PendingApproval> pending = g.nextStep().map(List::of).orElse(List.of());
      return save(turn, loaded, messages, reply).map(saved -> new ChatReply(turn.incidentId(), ChatReply.MODE_GUIDED,
          saved, why, List.of(), pending, Optional.of(g), ChatReply.Usage.NONE, Optional.empty()));
    });
  }

  /** Stores the turn; a failure is said in the reply (the actions themselves are in the audit log). */
  private Future<String> save(TurnContext turn, ConversationStore.Loaded loaded, List<StoredMessage> messages,
      String reply) {
    return conversations.append(turn.incidentId(), loaded.count(), messages).transform(done -> {
      if (done.succeeded()) {
        return Future.succeededFuture(reply);
      }
      LOG.warn("conversation of {} not saved: {}", turn.incidentId(), done.cause().toString());
      return Future.succeededFuture(reply + "\n\n(This exchange could not be saved to the conversation: "
          + done.cause().getMessage() + ")");
    });
  }

  private static boolean isModelFailure(ChatReply.Degraded d) {
    return d.code().startsWith("model_");
  }

  /** Runs {@code work} after the previous turn of the same incident (in this process) ended. */
  private Future<ChatReply> serialised(String incidentId, java.util.function.Supplier<Future<ChatReply>> work) {
    java.util.concurrent.atomic.AtomicReference<Future<ChatReply>> mine = new java.util.concurrent.atomic.AtomicReference<>();
    tails.compute(incidentId, (id, previous) -> {
      Future<?> before = previous == null ? Future.succeededFuture() : previous;
      mine.set(before.transform(ignored -> work.get()));
      return mine.get();
    });
    return mine.get().andThen(done -> tails.remove(incidentId, mine.get()));
  }

  private static String newTurnId() {
    byte[] b = new byte[6];
    RANDOM.nextBytes(b);
    return "turn_" + Long.toString(System.currentTimeMillis(), 36) + "_" + HexFormat.of().formatHex(b);
  }
}
