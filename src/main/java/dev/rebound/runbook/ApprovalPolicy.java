package dev.rebound.runbook;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Risk → who must approve a step: how many approvals, from which roles, and whether the person
 * who requested the step may be one of them. Loaded from the {@code approval_policy} section of
 * {@code rebound.yaml}; the engine enforces it, the plan only shows it.
 */
public record ApprovalPolicy(Map<Risk, Requirement> requirements) {

  /**
   * @param approvals approvals needed, each from a different person
   * @param roles roles any of which lets a person approve
   * @param distinctFromRequester whether the requester is excluded from approving
   */
  public record Requirement(int approvals, List<String> roles, boolean distinctFromRequester) {
    public Requirement {
      roles = List.copyOf(roles);
    }
  }

  /** The project's defaults, identical to the shipped rebound.yaml; used when the section is absent. */
  public static final ApprovalPolicy DEFAULT =
      new ApprovalPolicy(Map.of(
          Risk.LOW, new Requirement(1, List.of("responder", "approver", "admin"), false),
          Risk.MEDIUM, new Requirement(1, List.of("approver", "admin"), false),
          Risk.HIGH, new Requirement(2, List.of("approver", "admin"), true)));

  private static final Set<String> REQUIREMENT_KEYS = Set.of("approvals", "roles", "distinct_from_requester");
  private static final int MAX_APPROVALS = 10;

  public ApprovalPolicy {
    EnumMap<Risk, Requirement> copy = new EnumMap<>(Risk.class);
    copy.putAll(requirements);
    for (Risk risk : Risk.values()) {
      if (!copy.containsKey(risk)) {
        throw new InvalidApprovalPolicyException(List.of("approval_policy: missing risk level '" + risk.label() + "'"));
      }
    }
    requirements = Collections.unmodifiableMap(copy);
  }

  public Requirement requirementFor(Risk risk) {
    return requirements.get(risk);
  }

  /**
   * Reads the {@code approval_policy} mapping (not the whole file). A missing section gives
   * {@link #DEFAULT}; a present one must be complete, because a half-written policy must not
   * silently weaken approvals.
   *
   * @throws InvalidApprovalPolicyException listing every problem
   */
  public static ApprovalPolicy fromJson(JsonNode section) {
    if (section == null || section.isMissingNode() || section.isNull()) {
      return DEFAULT;
    }
    List<String> problems = new ArrayList<>();
    if (!section.isObject()) {
      throw new InvalidApprovalPolicyException(List.of("approval_policy: must be a mapping of low, medium, high"));
    }
    Map<Risk, Requirement> out = new EnumMap<>(Risk.class);
    Iterator<String> keys = section.fieldNames();
    while (keys.hasNext()) {
      String key = keys.next();
      if (!(key.equals("low") || key.equals("medium") || key.equals("high"))) {
        problems.add("approval_policy: unknown risk level '" + key + "' (allowed: low, medium, high)");
      }
    }
    for (Risk risk : Risk.values()) {
      JsonNode node = section.get(risk.label());
      if (node == null) {
        problems.add("approval_policy: missing risk level '" + risk.label() + "'");
      } else {
        Requirement r = requirement(node, "approval_policy." + risk.label(), problems);
        if (r != null) {
          out.put(risk, r);
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new InvalidApprovalPolicyException(problems);
    }
    return new ApprovalPolicy(out);
  }

  private static Requirement requirement(JsonNode node, String where, List<String> problems) {
    if (!node.isObject()) {
      problems.add(where + ": must be a mapping with approvals and roles");
      return null;
    }
    int before = problems.size();
    node.fieldNames().forEachRemaining(k -> {
      if (!REQUIREMENT_KEYS.contains(k)) {
        problems.add(where + ": unknown key '" + k + "' (allowed: approvals, roles, distinct_from_requester)");
      }
    });
    JsonNode approvals = node.path("approvals");
    if (!approvals.canConvertToInt() || !approvals.isIntegralNumber() || approvals.asInt() < 1 || approvals.asInt() > MAX_APPROVALS) {
      problems.add(where + ".approvals: must be an integer from 1 to " + MAX_APPROVALS + " (got " + SchemaMessages.shown(approvals) + ")");
    }
    JsonNode roles = node.path("roles");
    List<String> roleNames = new ArrayList<>();
    if (!roles.isArray() || roles.isEmpty()) {
      problems.add(where + ".roles: must be a non-empty list of role names");
    } else {
      roles.forEach(r -> {
        if (r.isTextual() && !r.asText().isBlank()) {
          roleNames.add(r.asText());
        } else {
          problems.add(where + ".roles: " + SchemaMessages.shown(r) + " is not a role name");
        }
      });
    }
    JsonNode distinct = node.path("distinct_from_requester");
    if (!distinct.isMissingNode() && !distinct.isBoolean()) {
      problems.add(where + ".distinct_from_requester: must be true or false");
    }
    if (problems.size() > before) {
      return null;
    }
    return new Requirement(approvals.asInt(), roleNames, distinct.asBoolean(false));
  }
}
