package dev.rebound.http;

import dev.rebound.error.ValidationException;
import io.vertx.core.MultiMap;
import java.util.ArrayList;
import java.util.List;

/**
 * The query parameters a GET route reads, checked before it reads them. A name it does not read
 * ({@code query=} for {@code q=}, {@code runbook_id=} as the JSON names the field) or one given
 * twice is refused, not ignored: an ignored filter returns the unfiltered answer as if it were
 * the filtered one.
 */
final class QueryParams {
  private QueryParams() {}

  /**
   * One problem per unknown or repeated name, in name order. Each is called a parameter, not a
   * filter: {@code limit} and {@code before} are among the known ones.
   */
  static List<String> problems(MultiMap params, List<String> known) {
    List<String> problems = new ArrayList<>();
    params.names().stream().sorted().forEach(name -> {
      if (!known.contains(name)) {
        problems.add("unknown parameter '" + name + "' (known: " + String.join(", ", known) + ")");
      } else if (params.getAll(name).size() > 1) {
        problems.add(name + " is given " + params.getAll(name).size() + " times: give it once");
      }
    });
    return problems;
  }

  /** @throws ValidationException (a 400) listing every {@link #problems problem}, if any */
  static void require(MultiMap params, List<String> known) {
    List<String> problems = problems(params, known);
    if (!problems.isEmpty()) {
      throw new ValidationException(problems);
    }
  }
}
