package dev.rebound.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;

/**
 * The OpenAI {@code /v1/embeddings} protocol for WireMock, slow in batches: a request with more
 * than one input (an index run's batch) takes {@code batchDelay}, a single text (a query, one
 * incident) answers at once, as a remote model under a long indexing job might. Vectors are words
 * hashed into {@link #DIMENSION} buckets, so texts sharing words are near each other.
 */
final class SlowEmbeddingEndpoint implements ResponseDefinitionTransformerV2 {
  static final String NAME = "slow-embeddings";
  static final int DIMENSION = 32;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Duration batchDelay;
  private final java.util.concurrent.atomic.AtomicInteger batches = new java.util.concurrent.atomic.AtomicInteger();

  SlowEmbeddingEndpoint(Duration batchDelay) {
    this.batchDelay = batchDelay;
  }

  @Override
  public ResponseDefinition transform(ServeEvent serveEvent) {
    try {
      JsonNode input = JSON.readTree(serveEvent.getRequest().getBodyAsString()).path("input");
      ArrayNode texts = input.isArray() ? (ArrayNode) input : JSON.createArrayNode().add(input.asText());
      if (texts.size() > 1) {
        batches.incrementAndGet();
        Thread.sleep(batchDelay.toMillis());
      }
      ObjectNode body = JSON.createObjectNode().put("object", "list").put("model", "slow-embedder");
      ArrayNode data = body.putArray("data");
      for (int i = 0; i < texts.size(); i++) {
        ArrayNode vector = data.addObject().put("object", "embedding").put("index", i).putArray("embedding");
        Arrays.stream(vector(texts.get(i).asText())).forEach(vector::add);
      }
      body.putObject("usage").put("prompt_tokens", texts.size()).put("total_tokens", texts.size());
      return ResponseDefinitionBuilder.responseDefinition().withStatus(200)
          .withHeader("Content-Type", "application/json").withBody(JSON.writeValueAsString(body)).build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ResponseDefinitionBuilder.responseDefinition().withStatus(503).build();
    }
  }

  /** How many batch requests have arrived (an index run is embedding once this is above 0). */
  int batches() {
    return batches.get();
  }

  private static double[] vector(String text) {
    double[] v = new double[DIMENSION];
    for (String word : text.toLowerCase(Locale.ROOT).split("\\W+")) {
      if (!word.isEmpty()) {
        v[Math.floorMod(Arrays.hashCode(word.getBytes(StandardCharsets.UTF_8)), DIMENSION)] += 1;
      }
    }
    v[0] += 0.01; // never the zero vector
    return v;
  }

  @Override
  public String getName() {
    return NAME;
  }

  @Override
  public boolean applyGlobally() {
    return false;
  }
}
