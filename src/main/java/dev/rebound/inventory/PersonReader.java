package dev.rebound.inventory;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads one entry of {@code people:}; teams must have been read first so references resolve. */
final class PersonReader {
  static final List<String> KEYS = List.of("id", "name", "email", "slack_user_id", "roles", "teams");

  // Slack user ids, not display names: a name can be changed by its owner, the id cannot.
  private static final Pattern SLACK_USER_ID = Pattern.compile("^[UW][A-Z0-9]{2,}$");

  private PersonReader() {}

  static Optional<Person> read(Problems problems, JsonNode node, String pointer, int number,
      FirstSeen ids, FirstSeen slackIds, Set<String> teamIds) {
    Optional<MappingReader> mapping = MappingReader.of(problems, node, pointer, "person #" + number);
    if (mapping.isEmpty()) {
      return Optional.empty();
    }
    Optional<Located> id = mapping.get().text("id", true);
    MappingReader m = id.map(i -> mapping.get().labelled("person '" + i.value() + "'")).orElse(mapping.get());
    boolean valid = id.filter(i -> Ids.check(m, "id", i)).filter(ids::add).isPresent();
    m.allowOnly(KEYS);
    Optional<Located> name = m.text("name", true);
    String email = m.text("email", false).filter(e -> {
      boolean ok = e.value().matches("^[^@\\s]+@[^@\\s]+$");
      if (!ok) {
        m.problem("email", "'email' is not an email address: '" + e.value() + "'");
      }
      return ok;
    }).map(Located::value).orElse(null);
    String slackUserId = m.text("slack_user_id", false).filter(s -> slackUserId(m, s) && slackIds.add(s))
        .map(Located::value).orElse(null);
    Set<Role> roles = roles(m);
    List<Located> teams = Lists.distinct(m, "teams", m.textList("teams"));
    teams.stream().filter(t -> !teamIds.contains(t.value()))
        .forEach(t -> m.problemAt(t.pointer(), "teams names unknown team '" + t.value() + "'"));
    if (!valid || name.isEmpty() || roles.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new Person(id.get().value(), name.get().value(), email, slackUserId, roles,
        teams.stream().map(Located::value).toList()));
  }

  private static boolean slackUserId(MappingReader m, Located s) {
    boolean ok = SLACK_USER_ID.matcher(s.value()).matches();
    if (!ok) {
      m.problem("slack_user_id",
          "'slack_user_id' must be a Slack user id like U01ABCDEF, got '" + s.value() + "'");
    }
    return ok;
  }

  private static Set<Role> roles(MappingReader m) {
    Set<Role> roles = EnumSet.noneOf(Role.class);
    for (Located r : Lists.distinct(m, "roles", m.textList("roles", true))) {
      Optional<Role> role = Role.fromYaml(r.value());
      role.ifPresentOrElse(roles::add, () -> m.problemAt(r.pointer(),
          "unknown role '" + r.value() + "' (expected one of: " + Role.allNames() + ")"));
    }
    return roles;
  }
}
