package dev.rebound.agent;

import dev.rebound.config.ConfigException;
import dev.rebound.config.ModelSettings;
import dev.rebound.config.Secret;
import dev.rebound.runbook.Durations;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How the agent behaves: which model (none means guided mode), the limits of one turn, and where
 * the prompts are. Defaults suit production; tests pass their own (short timeouts, no retries).
 *
 * @param endpoint the chat model, when {@code REBOUND_OPENAI_BASE_URL} and {@code REBOUND_MODEL}
 *     are both set; empty means guided mode
 * @param modelTimeout one model call, connect to last byte ({@code REBOUND_MODEL_TIMEOUT})
 * @param clientRetries retries inside langchain4j's client ({@code REBOUND_MODEL_MAX_RETRIES});
 *     default 0 because those are invisible to the audit log, see {@code loopRetries}
 * @param loopRetries retries of a failed model call by the loop itself, each one audited: only
 *     for 5xx, 429 and connection failures, never for 4xx or a timeout (waiting twice as long in
 *     an incident is worse than falling back to guided mode)
 * @param retryBackoff wait before such a retry
 * @param maxToolIterations model calls that may return tool calls in one turn
 *     ({@code REBOUND_AGENT_MAX_ITERATIONS})
 * @param tokenBudget total tokens (input + output, as the endpoint reports them) one turn may
 *     use ({@code REBOUND_AGENT_TOKEN_BUDGET})
 * @param turnTimeout the whole turn; no model call starts after it ({@code REBOUND_AGENT_TURN_TIMEOUT})
 * @param toolTimeout one tool call
 * @param strictTools send tool schemas as strict (OpenAI structured outputs); endpoints that
 *     do not know the flag ignore it ({@code REBOUND_MODEL_STRICT_TOOLS})
 * @param maxMessageChars longest user message accepted
 * @param maxReplyChars longest model text kept (longer is cut, and says so)
 * @param maxToolResultChars longest tool result sent to the model
 * @param maxArgumentChars longest tool arguments accepted from the model
 * @param maxHistoryChars how much earlier conversation is sent with each call (cut at a user
 *     message, so a tool call is never separated from its result)
 * @param promptsDir where {@code system.md} is
 */
public record AgentSettings(
    Optional<ModelEndpoint> endpoint,
    Duration modelTimeout,
    int clientRetries,
    int loopRetries,
    Duration retryBackoff,
    int maxToolIterations,
    int tokenBudget,
    Duration turnTimeout,
    Duration toolTimeout,
    boolean strictTools,
    int maxMessageChars,
    int maxReplyChars,
    int maxToolResultChars,
    int maxArgumentChars,
    int maxHistoryChars,
    Path promptsDir) {

  /** An OpenAI-compatible endpoint; {@code baseUrl} ends in {@code /v1} for most servers. */
  public record ModelEndpoint(String baseUrl, Optional<Secret> apiKey, String modelName) {
    public ModelEndpoint {
      Objects.requireNonNull(baseUrl, "baseUrl");
      Objects.requireNonNull(modelName, "modelName");
      apiKey = apiKey == null ? Optional.empty() : apiKey;
      baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }

    @Override
    public String toString() {
      return "ModelEndpoint[" + baseUrl + ", " + modelName + "]"; // never the key
    }
  }

  public AgentSettings {
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(promptsDir, "promptsDir");
    positive(modelTimeout, "modelTimeout");
    positive(turnTimeout, "turnTimeout");
    positive(toolTimeout, "toolTimeout");
    Objects.requireNonNull(retryBackoff, "retryBackoff");
    if (clientRetries < 0 || loopRetries < 0) {
      throw new IllegalArgumentException("retries must not be negative");
    }
    if (maxToolIterations < 1 || tokenBudget < 1 || maxMessageChars < 1 || maxReplyChars < 1
        || maxToolResultChars < 1 || maxArgumentChars < 1 || maxHistoryChars < 1) {
      throw new IllegalArgumentException("limits must be positive");
    }
  }

  public static final Path DEFAULT_PROMPTS_DIR = Path.of("prompts");

  /** Production defaults for the model in {@code model} (guided mode when it is not complete). */
  public static AgentSettings defaults(ModelSettings model, Path promptsDir) {
    Optional<ModelEndpoint> endpoint = model.baseUrl().isPresent() && model.model().isPresent()
        ? Optional.of(new ModelEndpoint(model.baseUrl().get(), model.apiKey(), model.model().get()))
        : Optional.empty();
    return new AgentSettings(endpoint, Duration.ofSeconds(60), 0, 1, Duration.ofSeconds(1), 8, 60_000,
        Duration.ofSeconds(180), Duration.ofSeconds(60), true, 8_000, 8_000, 12_000, 16_000, 48_000, promptsDir);
  }

  /**
   * {@link #defaults} overridden by {@code REBOUND_MODEL_TIMEOUT}, {@code REBOUND_MODEL_MAX_RETRIES},
   * {@code REBOUND_MODEL_STRICT_TOOLS}, {@code REBOUND_AGENT_MAX_ITERATIONS},
   * {@code REBOUND_AGENT_TOKEN_BUDGET} and {@code REBOUND_AGENT_TURN_TIMEOUT}.
   *
   * @throws ConfigException naming every bad value
   */
  public static AgentSettings fromEnvironment(Map<String, String> env, ModelSettings model, Path promptsDir) {
    AgentSettings s = defaults(model, promptsDir);
    List<String> problems = new ArrayList<>();
    Duration modelTimeout = duration(env, "REBOUND_MODEL_TIMEOUT", problems).orElse(s.modelTimeout);
    Duration turnTimeout = duration(env, "REBOUND_AGENT_TURN_TIMEOUT", problems).orElse(s.turnTimeout);
    int clientRetries = integer(env, "REBOUND_MODEL_MAX_RETRIES", 0, problems).orElse(s.clientRetries);
    int iterations = integer(env, "REBOUND_AGENT_MAX_ITERATIONS", 1, problems).orElse(s.maxToolIterations);
    int budget = integer(env, "REBOUND_AGENT_TOKEN_BUDGET", 1, problems).orElse(s.tokenBudget);
    boolean strict = Optional.ofNullable(env.get("REBOUND_MODEL_STRICT_TOOLS")).map(String::strip)
        .filter(v -> !v.isEmpty()).map(v -> !v.equalsIgnoreCase("false")).orElse(s.strictTools);
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return new AgentSettings(s.endpoint, modelTimeout, clientRetries, s.loopRetries, s.retryBackoff, iterations,
        budget, turnTimeout, s.toolTimeout, strict, s.maxMessageChars, s.maxReplyChars, s.maxToolResultChars,
        s.maxArgumentChars, s.maxHistoryChars, promptsDir);
  }

  public boolean modelConfigured() {
    return endpoint.isPresent();
  }

  public AgentSettings withEndpoint(Optional<ModelEndpoint> e) {
    return new AgentSettings(e, modelTimeout, clientRetries, loopRetries, retryBackoff, maxToolIterations,
        tokenBudget, turnTimeout, toolTimeout, strictTools, maxMessageChars, maxReplyChars, maxToolResultChars,
        maxArgumentChars, maxHistoryChars, promptsDir);
  }

  public AgentSettings withTimeouts(Duration model, Duration turn) {
    return new AgentSettings(endpoint, model, clientRetries, loopRetries, retryBackoff, maxToolIterations,
        tokenBudget, turn, toolTimeout, strictTools, maxMessageChars, maxReplyChars, maxToolResultChars,
        maxArgumentChars, maxHistoryChars, promptsDir);
  }

  public AgentSettings withRetries(int client, int loop, Duration backoff) {
    return new AgentSettings(endpoint, modelTimeout, client, loop, backoff, maxToolIterations,
        tokenBudget, turnTimeout, toolTimeout, strictTools, maxMessageChars, maxReplyChars, maxToolResultChars,
        maxArgumentChars, maxHistoryChars, promptsDir);
  }

  public AgentSettings withLimits(int iterations, int budget) {
    return new AgentSettings(endpoint, modelTimeout, clientRetries, loopRetries, retryBackoff, iterations,
        budget, turnTimeout, toolTimeout, strictTools, maxMessageChars, maxReplyChars, maxToolResultChars,
        maxArgumentChars, maxHistoryChars, promptsDir);
  }

  private static Optional<Duration> duration(Map<String, String> env, String name, List<String> problems) {
    String text = env.get(name);
    if (text == null || text.isBlank()) {
      return Optional.empty();
    }
    try {
      Duration d = Durations.parse(text.strip());
      if (!d.isZero() && !d.isNegative()) {
        return Optional.of(d);
      }
    } catch (RuntimeException e) {
      // reported below
    }
    problems.add(name + ": not a positive duration like 60s or 2m: \"" + text.strip() + "\"");
    return Optional.empty();
  }

  private static Optional<Integer> integer(Map<String, String> env, String name, int min, List<String> problems) {
    String text = env.get(name);
    if (text == null || text.isBlank()) {
      return Optional.empty();
    }
    try {
      int n = Integer.parseInt(text.strip());
      if (n >= min) {
        return Optional.of(n);
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    problems.add(name + ": must be a whole number of at least " + min + ", got \"" + text.strip() + "\"");
    return Optional.empty();
  }

  private static void positive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException(name + " must be positive");
    }
  }
}
