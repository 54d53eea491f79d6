package dev.rebound.agent;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;

/**
 * Scripts the model: the responses of a scenario step, in order, as WireMock stubs speaking the
 * OpenAI chat-completions protocol (tool calls included). Each entry of the script is one of:
 *
 * <pre>
 * - text: "final answer"                    # an assistant message
 * - tool_calls:                             # tool calls (with optional text)
 *     - {id: call_1, name: search_runbooks, arguments: {query: "stale features"}}
 *     - {id: call_2, name: get_incident, arguments_raw: "{\"broken"}    # verbatim, even invalid JSON
 * - text_repeat: {text: "x", times: 300000}  # a huge message
 * - status: 500                             # an HTTP error (body: an OpenAI error object)
 * - raw_body: "data: {...}"                 # HTTP 200 with exactly this body (garbage, streaming, …)
 *   content_type: text/event-stream          # its Content-Type (default application/json)
 * - delay_ms: 5000                          # with any of the above: answer late
 * - usage: {prompt: 100, completion: 20}     # token counts (default 100 and 20)
 * </pre>
 *
 * A request beyond the script gets a 500 saying so, which the scenario's request count catches.
 */
final class ModelScript {
  static final String PATH = "/v1/chat/completions";
  private static final ObjectMapper JSON = new ObjectMapper();

  private ModelScript() {}

  static void install(WireMockServer model, JsonNode script) {
    model.resetAll();
    model.stubFor(post(urlEqualTo(PATH)).atPriority(10)
        .willReturn(aResponse().withStatus(500).withHeader("Content-Type", "application/json")
            .withBody("{\"error\":{\"message\":\"the scenario's model script is exhausted\",\"type\":\"test\"}}")));
    if (script == null || script.isMissingNode() || script.isNull()) {
      return;
    }
    String state = Scenario.STARTED;
    int n = 0;
    for (JsonNode entry : script) {
      String next = "step-" + (++n);
      model.stubFor(post(urlEqualTo(PATH)).atPriority(1).inScenario("model").whenScenarioStateIs(state)
          .willReturn(response(entry, n)).willSetStateTo(next));
      state = next;
    }
  }

  private static ResponseDefinitionBuilder response(JsonNode entry, int n) {
    ResponseDefinitionBuilder r = aResponse().withHeader("Content-Type",
        entry.path("content_type").asText("application/json"));
    if (entry.has("delay_ms")) {
      r = r.withFixedDelay(entry.get("delay_ms").asInt());
    }
    if (entry.has("status")) {
      int status = entry.get("status").asInt();
      return r.withStatus(status).withBody("{\"error\":{\"message\":\"scripted " + status + " (Incorrect API key"
          + " provided: " + ScenarioService.MODEL_KEY + ")\",\"type\":\"scripted\",\"code\":\"scripted\"}}");
    }
    if (entry.has("raw_body")) {
      return r.withStatus(200).withBody(entry.get("raw_body").asText());
    }
    return r.withStatus(200).withBody(write(completion(entry, n)));
  }

  static ObjectNode completion(JsonNode entry, int n) {
    ObjectNode body = JSON.createObjectNode();
    body.put("id", "chatcmpl-scripted-" + n);
    body.put("object", "chat.completion");
    body.put("created", 1_700_000_000L + n);
    body.put("model", "test-model");
    ObjectNode choice = body.putArray("choices").addObject();
    choice.put("index", 0);
    ObjectNode message = choice.putObject("message");
    message.put("role", "assistant");
    String text = entry.has("text_repeat")
        ? entry.get("text_repeat").path("text").asText().repeat(entry.get("text_repeat").path("times").asInt())
        : entry.has("text") ? entry.get("text").asText() : null;
    if (text == null) {
      message.putNull("content");
    } else {
      message.put("content", text);
    }
    if (entry.has("tool_calls")) {
      ArrayNode calls = message.putArray("tool_calls");
      int i = 0;
      for (JsonNode c : entry.get("tool_calls")) {
        ObjectNode call = calls.addObject();
        call.put("id", c.has("id") ? c.get("id").asText() : "call_" + n + "_" + (++i));
        call.put("type", "function");
        ObjectNode fn = call.putObject("function");
        fn.put("name", c.get("name").asText());
        fn.put("arguments", c.has("arguments_raw") ? c.get("arguments_raw").asText()
            : write(c.has("arguments") ? c.get("arguments") : JSON.createObjectNode()));
      }
      choice.put("finish_reason", entry.path("finish_reason").asText("tool_calls"));
    } else {
      choice.put("finish_reason", entry.path("finish_reason").asText("stop"));
    }
    ObjectNode usage = body.putObject("usage");
    int prompt = entry.path("usage").path("prompt").asInt(100);
    int completion = entry.path("usage").path("completion").asInt(20);
    usage.put("prompt_tokens", prompt);
    usage.put("completion_tokens", completion);
    usage.put("total_tokens", prompt + completion);
    return body;
  }

  private static String write(JsonNode node) {
    try {
      return JSON.writeValueAsString(node);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
