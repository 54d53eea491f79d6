package dev.rebound.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TeamLoaderTest {
  private final TeamDirectory team = TeamLoader.load(Fixtures.path("good/team.yaml")).orElseThrow();

  @Test
  void goodFixtureLoadsPeopleAndTeams() {
    assertThat(team.people()).extracting(Person::id).containsExactly("alice", "bob", "carol", "dave");
    assertThat(team.teams()).extracting(Team::id).containsExactly("ml-platform", "data-eng", "search");
    assertThat(team.person("alice")).get().satisfies(alice -> {
      assertThat(alice.name()).isEqualTo("Alice Moreau");
      assertThat(alice.email()).isEqualTo("alice@example.com");
      assertThat(alice.roles()).containsExactly(Role.APPROVER);
      assertThat(alice.teams()).containsExactly("ml-platform");
    });
    assertThat(team.team("ml-platform")).get().extracting(Team::slackChannel).isEqualTo("#ml-platform-oncall");
  }

  @Test
  void lookupBySlackUserIdFindsThePerson() {
    assertThat(team.personBySlackId("U01BOB0001")).get().extracting(Person::id).isEqualTo("bob");
    assertThat(team.personBySlackId("W01CAROL01")).get().extracting(Person::highestRole).isEqualTo(Role.ADMIN);
    assertThat(team.personBySlackId("U0UNKNOWN")).isEmpty();
  }

  @Test
  void personWithoutSlackIdIsFoundByIdOnly() {
    assertThat(team.person("dave")).get().extracting(Person::slackUserId).isNull();
  }

  @Test
  void membersAreListedInFileOrder() {
    assertThat(team.members("ml-platform")).extracting(Person::id).containsExactly("alice", "bob");
    assertThat(team.members("nobody")).isEmpty();
  }

  @Test
  void ownerMayBeATeamOrAPerson() {
    assertThat(team.ownerExists("search")).isTrue();
    assertThat(team.ownerExists("alice")).isTrue();
    assertThat(team.ownerExists("ml-platfrom")).isFalse();
  }

  @Test
  void rolesAreCheckedThroughTheDirectory() {
    assertThat(team.person("bob").orElseThrow().has(Role.APPROVER)).isFalse();
    assertThat(team.person("alice").orElseThrow().has(Role.APPROVER)).isTrue();
  }

  @Test
  void constructorRefusesDuplicatesBetweenPeopleAndTeams() {
    Person p = new Person("search", "Sam", null, null, Set.of(Role.VIEWER), List.of());

    assertThatThrownBy(() -> new TeamDirectory(List.of(p), List.of(new Team("search", "Search", null))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("duplicate id 'search'");
  }

  @Test
  void topLevelMustHavePeople() {
    assertThat(TeamLoader.parse("teams: []", "t.yaml").problems()).extracting(Object::toString)
        .containsExactly("t.yaml:1:1: top level: missing required field 'people'");
  }
}
