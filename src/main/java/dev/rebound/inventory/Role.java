package dev.rebound.inventory;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What a person may do, each role including the ones before it: an admin may do all an approver
 * may, an approver all a responder may, a responder all a viewer may. The declaration order is
 * that ordering; do not reorder the constants.
 */
public enum Role {
  /** Reads incidents, runbooks, plans and the audit log. */
  VIEWER,
  /** Also starts runs and confirms low-risk steps. */
  RESPONDER,
  /** Also approves medium- and high-risk steps and runbook versions. */
  APPROVER,
  /** Also manages configuration and people. */
  ADMIN;

  /** Whether holding this role is enough for something that requires {@code required}. */
  public boolean allows(Role required) {
    return compareTo(required) >= 0;
  }

  @JsonValue
  public String yamlName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<Role> fromYaml(String text) {
    return Arrays.stream(values()).filter(r -> r.yamlName().equals(text)).findFirst();
  }

  static String allNames() {
    return Arrays.stream(values()).map(Role::yamlName).collect(Collectors.joining(", "));
  }
}
