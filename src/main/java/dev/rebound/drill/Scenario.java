package dev.rebound.drill;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One drill scenario as its file states it.
 *
 * @param fault the demo fault's name ({@code POST /demo/faults/{name}})
 * @param faultParams extra parameters of the fault, sent as the injection's JSON body
 * @param symptom what an alert would say: the text retrieval must find the runbook from
 * @param params the runbook's parameters: literal strings, or a {@link ParamSource} resolved
 *     against the demo system just before the fault is injected
 * @param maxDuration the budget from injection to the end of validation, else the runner's default
 */
public record Scenario(
    String id,
    String title,
    String fault,
    Map<String, String> faultParams,
    String symptom,
    List<String> assets,
    String expectedRunbook,
    Map<String, JsonNode> params,
    Optional<Duration> maxDuration,
    Path file) {

  public Scenario {
    faultParams = Map.copyOf(faultParams);
    assets = List.copyOf(assets);
    params = Map.copyOf(params);
  }
}
