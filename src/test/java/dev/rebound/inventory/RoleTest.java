package dev.rebound.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoleTest {
  @Test
  void eachRoleAllowsItselfAndEveryWeakerRole() {
    assertThat(EnumSet.allOf(Role.class).stream().filter(Role.ADMIN::allows)).containsExactly(Role.values());
    assertThat(EnumSet.allOf(Role.class).stream().filter(Role.APPROVER::allows))
        .containsExactly(Role.VIEWER, Role.RESPONDER, Role.APPROVER);
    assertThat(EnumSet.allOf(Role.class).stream().filter(Role.RESPONDER::allows))
        .containsExactly(Role.VIEWER, Role.RESPONDER);
    assertThat(EnumSet.allOf(Role.class).stream().filter(Role.VIEWER::allows)).containsExactly(Role.VIEWER);
  }

  @Test
  void aPersonHasWhatTheirStrongestRoleAllows() {
    Person carol = new Person("carol", "Carol", null, null, EnumSet.of(Role.VIEWER, Role.APPROVER), List.of());

    assertThat(carol.has(Role.RESPONDER)).isTrue();
    assertThat(carol.has(Role.APPROVER)).isTrue();
    assertThat(carol.has(Role.ADMIN)).isFalse();
    assertThat(carol.highestRole()).isEqualTo(Role.APPROVER);
  }

  @Test
  void yamlNamesAreLowerCase() {
    assertThat(Role.fromYaml("approver")).contains(Role.APPROVER);
    assertThat(Role.fromYaml("Approver")).isEmpty();
    assertThat(Role.ADMIN.yamlName()).isEqualTo("admin");
  }
}
