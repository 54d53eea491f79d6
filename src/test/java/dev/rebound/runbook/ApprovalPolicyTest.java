package dev.rebound.runbook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

class ApprovalPolicyTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  @Test
  void readsTheApprovalPolicySectionOfReboundYaml() throws Exception {
    JsonNode config = YAML.readTree("""
        environment: production
        approval_policy:
          low: {approvals: 1, roles: [responder, approver, admin]}
          medium: {approvals: 1, roles: [approver, admin]}
          high: {approvals: 2, roles: [approver, admin], distinct_from_requester: true}
        """);

    ApprovalPolicy policy = ApprovalPolicy.fromJson(config.path("approval_policy"));

    assertThat(policy).isEqualTo(ApprovalPolicy.DEFAULT);
    assertThat(policy.requirementFor(Risk.HIGH))
        .isEqualTo(new ApprovalPolicy.Requirement(2, List.of("approver", "admin"), true));
  }

  @Test
  void usesTheDefaultsWhenTheSectionIsAbsent() throws Exception {
    assertThat(ApprovalPolicy.fromJson(YAML.readTree("environment: x").path("approval_policy")))
        .isEqualTo(ApprovalPolicy.DEFAULT);
  }

  @Test
  void rejectsAnIncompleteOrMalformedPolicyListingEveryProblem() throws Exception {
    JsonNode section = YAML.readTree("""
        low: {approvals: 0, roles: []}
        high: {approvals: 2, roles: [approver], distinct: true}
        critical: {approvals: 3, roles: [admin]}
        """);

    assertThatThrownBy(() -> ApprovalPolicy.fromJson(section))
        .isInstanceOfSatisfying(InvalidApprovalPolicyException.class, e -> assertThat(e.problems()).containsExactly(
            "approval_policy: unknown risk level 'critical' (allowed: low, medium, high)",
            "approval_policy.low.approvals: must be an integer from 1 to 10 (got 0)",
            "approval_policy.low.roles: must be a non-empty list of role names",
            "approval_policy: missing risk level 'medium'",
            "approval_policy.high: unknown key 'distinct' (allowed: approvals, roles, distinct_from_requester)"));
  }
}
