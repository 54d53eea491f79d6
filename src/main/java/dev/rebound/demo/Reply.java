package dev.rebound.demo;

import io.vertx.core.json.JsonObject;

/** A JSON response of the demo API: status and body. */
record Reply(int status, JsonObject body) {
  static Reply ok(JsonObject body) {
    return new Reply(200, body);
  }

  static Reply created(JsonObject body) {
    return new Reply(201, body);
  }

  static Reply accepted(JsonObject body) {
    return new Reply(202, body);
  }
}
