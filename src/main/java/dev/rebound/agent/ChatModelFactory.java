package dev.rebound.agent;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.rebound.config.Secret;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place a chat model is built, every setting explicit (langchain4j's defaults are not
 * what an incident tool wants: two silent retries, and a base URL that quietly points at
 * api.openai.com).
 *
 * <ul>
 *   <li>temperature 0: the same question gets the same tool calls, which makes audits and tests
 *       readable;
 *   <li>{@code timeout} covers one HTTP call; {@code maxRetries} is the client's own retries,
 *       default 0 because those would not appear in the audit log (the loop retries instead);
 *   <li>{@code strictTools}: tool schemas are sent as strict where the endpoint supports it
 *       (OpenAI); arguments are validated by the agent in any case;
 *   <li>{@code parallelToolCalls} is not set: the loop handles several calls per response in
 *       order, one result each;
 *   <li>no request or response logging: prompts hold incident text.
 * </ul>
 *
 * The base URL must be the API root including the version ({@code https://api.openai.com/v1},
 * {@code http://localhost:11434/v1}): langchain4j appends {@code /chat/completions}.
 */
final class ChatModelFactory {
  private static final Logger LOG = LoggerFactory.getLogger(ChatModelFactory.class);

  private ChatModelFactory() {}

  /** The configured model, or empty for guided mode. */
  static Optional<ChatModel> create(AgentSettings settings) {
    return settings.endpoint().map(e -> build(e, settings));
  }

  static ChatModel build(AgentSettings.ModelEndpoint endpoint, AgentSettings settings) {
    if (!endpoint.baseUrl().matches(".*/v[0-9][0-9a-z.]*$")) {
      LOG.warn("REBOUND_OPENAI_BASE_URL {} does not end in a version segment such as /v1;"
          + " most OpenAI-compatible servers need it (requests go to <base>/chat/completions)", endpoint.baseUrl());
    }
    return OpenAiChatModel.builder()
        .baseUrl(endpoint.baseUrl())
        .apiKey(endpoint.apiKey().map(Secret::reveal).orElse(null))
        .modelName(endpoint.modelName())
        .temperature(0.0)
        .timeout(settings.modelTimeout())
        .maxRetries(settings.clientRetries())
        .strictTools(settings.strictTools())
        .logRequests(false)
        .logResponses(false)
        .build();
  }
}
