package dev.rebound.demo;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The demo's "models" are code: a score is a deterministic function of the entity's online
 * features, the request and the model version, in [0, 1]. The artifact file is what integrity
 * checks hash; its bytes do not change the maths. Missing (null) features use defaults and are
 * counted. A version listed as degenerate (fault) returns a constant score. Pure functions.
 */
final class ModelScorer {
  static final String CTR = "user_ctr_7d";
  static final String PURCHASES = "user_purchases_30d";
  static final String AVG_AMOUNT = "user_avg_amount_30d";
  static final String EVENTS_1D = "user_events_1d";
  static final List<String> FEATURES = List.of(CTR, PURCHASES, AVG_AMOUNT, EVENTS_1D);
  static final double DEGENERATE_SCORE = 0.5;

  private ModelScorer() {}

  /** A score and how many of the features it needed were missing. */
  record Score(double value, int missing) {}

  static Score score(String model, int version, Map<String, Double> features, JsonObject request, boolean degenerate) {
    int missing = 0;
    for (String f : FEATURES) {
      missing += features.get(f) == null ? 1 : 0;
    }
    if (degenerate) {
      return new Score(DEGENERATE_SCORE, missing);
    }
    double ctr = orElse(features.get(CTR), 0.1);
    double purchases = orElse(features.get(PURCHASES), 0);
    double avgAmount = orElse(features.get(AVG_AMOUNT), 35);
    double events = orElse(features.get(EVENTS_1D), 0);
    double x;
    if (model.equals("ranker")) {
      double shift = (version - 11) * 0.05;
      double item = unit(request.getString("item_id", "")) - 0.5;
      x = -1.4 + shift + (3.2 + shift) * ctr + 0.3 * Math.log1p(purchases) + 0.2 * Math.log1p(events) + 1.1 * item;
    } else {
      double amount = amount(request);
      double shift = (version - 6) * 0.1;
      x = -2.2 + shift + 1.3 * Math.log((amount + 1) / (avgAmount + 1)) - 0.15 * Math.log1p(purchases) + 0.4 * ctr;
    }
    return new Score(Math.round(1000.0 / (1 + Math.exp(-x))) / 1000.0, missing);
  }

  static double amount(JsonObject request) {
    Object value = request.getValue("amount");
    if (value instanceof Number n) {
      return Math.max(0, n.doubleValue());
    }
    if (value instanceof String s) {
      try {
        return Math.max(0, Double.parseDouble(s.trim()));
      } catch (NumberFormatException e) {
        return 0;
      }
    }
    return 0;
  }

  /** The canary's 20 fixed requests: entities u000…u019 with fixed items or amounts. */
  static List<JsonObject> golden(String model) {
    List<JsonObject> out = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      JsonObject request = new JsonObject().put("model", model).put("entity_id", String.format("u%03d", i));
      if (model.equals("ranker")) {
        request.put("item_id", String.format("it%04d", (i * 37) % 500));
      } else {
        request.put("amount", 10 + i * 17.5);
      }
      out.add(request);
    }
    return out;
  }

  private static double orElse(Double value, double fallback) {
    return value == null || value.isNaN() ? fallback : value;
  }

  private static double unit(String text) {
    return (text.hashCode() & 0x7fffffff) / (double) Integer.MAX_VALUE;
  }
}
