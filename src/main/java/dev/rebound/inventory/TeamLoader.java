package dev.rebound.inventory;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rebound.yaml.PositionedYaml;
import dev.rebound.yaml.YamlSyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Loads {@code knowledge/team.yaml}: every problem (unknown keys, duplicate ids or Slack ids,
 * unknown roles or teams) is collected; a directory is returned only when there are none.
 * Person and team ids must be distinct from each other, since an asset owner may name either.
 * Blocking (reads a file).
 */
public final class TeamLoader {
  private static final List<String> TEAM_KEYS = List.of("id", "name", "slack_channel");
  private static final Pattern SLACK_CHANNEL = Pattern.compile("^(#[a-z0-9][a-z0-9._-]*|[CG][A-Z0-9]{2,})$");

  private TeamLoader() {}

  public static LoadResult<TeamDirectory> load(Path file) {
    return load(file, file.toString());
  }

  public static LoadResult<TeamDirectory> load(Path file, String displayName) {
    try {
      return check(PositionedYaml.read(file, displayName));
    } catch (YamlSyntaxException e) {
      return LoadResult.failed(List.of(e.problem()));
    }
  }

  public static LoadResult<TeamDirectory> parse(String text, String displayName) {
    try {
      return check(PositionedYaml.parse(text, displayName));
    } catch (YamlSyntaxException e) {
      return LoadResult.failed(List.of(e.problem()));
    }
  }

  private static LoadResult<TeamDirectory> check(PositionedYaml yaml) {
    Problems problems = new Problems(yaml);
    FirstSeen ids = new FirstSeen(problems, "id");
    FirstSeen slackIds = new FirstSeen(problems, "slack_user_id");
    List<Team> teams = new ArrayList<>();
    List<Person> people = new ArrayList<>();
    MappingReader.of(problems, yaml.root(), "", "top level").ifPresent(top -> {
      top.allowOnly(List.of("people", "teams"));
      // Teams first, so people's team references can be checked as they are read.
      top.list("teams", false).ifPresent(list -> {
        for (int i = 0; i < list.size(); i++) {
          team(problems, list.get(i), "/teams/" + i, i + 1, ids).ifPresent(teams::add);
        }
      });
      Set<String> teamIds = new HashSet<>(teams.stream().map(Team::id).toList());
      top.list("people", true).ifPresent(list -> {
        for (int i = 0; i < list.size(); i++) {
          PersonReader.read(problems, list.get(i), "/people/" + i, i + 1, ids, slackIds, teamIds)
              .ifPresent(people::add);
        }
      });
    });
    return problems.isEmpty()
        ? LoadResult.ok(new TeamDirectory(people, teams))
        : LoadResult.failed(problems.sorted());
  }

  private static Optional<Team> team(Problems problems, JsonNode node, String pointer, int number, FirstSeen ids) {
    Optional<MappingReader> mapping = MappingReader.of(problems, node, pointer, "team #" + number);
    if (mapping.isEmpty()) {
      return Optional.empty();
    }
    Optional<Located> id = mapping.get().text("id", true);
    MappingReader m = id.map(i -> mapping.get().labelled("team '" + i.value() + "'")).orElse(mapping.get());
    boolean valid = id.filter(i -> Ids.check(m, "id", i)).filter(ids::add).isPresent();
    m.allowOnly(TEAM_KEYS);
    Optional<Located> name = m.text("name", true);
    String channel = m.text("slack_channel", false).filter(c -> {
      boolean ok = SLACK_CHANNEL.matcher(c.value()).matches();
      if (!ok) {
        m.problem("slack_channel", "'slack_channel' must be a #channel-name or a channel id like C01ABCDEF, got '"
            + c.value() + "'");
      }
      return ok;
    }).map(Located::value).orElse(null);
    if (!valid || name.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new Team(id.get().value(), name.get().value(), channel));
  }
}
