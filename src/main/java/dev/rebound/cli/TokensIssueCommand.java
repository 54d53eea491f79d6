package dev.rebound.cli;

import dev.rebound.db.IssuedToken;
import dev.rebound.db.TokenStore;
import dev.rebound.error.NotFoundException;
import dev.rebound.error.ValidationException;
import dev.rebound.inventory.Knowledge;
import dev.rebound.inventory.Person;
import dev.rebound.inventory.TeamDirectory;
import dev.rebound.inventory.TeamLoader;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rebound tokens issue PERSON [--label L]}. */
@Command(
    name = "issue",
    description = {
      "Issue an API token for a person in team.yaml.",
      "%nThe token gets the person's highest role. It is printed once, alone on stdout (only its"
          + " sha256 is stored); the explanation goes to stderr."
    })
final class TokensIssueCommand extends CliCommand {
  static final String DEMO_LABEL = "demo";
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  @Parameters(index = "0", paramLabel = "PERSON", description = "Person id from team.yaml.")
  String personId;

  @Option(names = "--label", paramLabel = "L", description = "What the token is for, e.g. laptop or ci.")
  String label = "";

  @Override
  int run(CliContext context) {
    if (DEMO_LABEL.equals(label)) {
      throw new ValidationException("label 'demo' is reserved: 'rebound serve' revokes demo tokens when not in demo mode");
    }
    Path teamFile = context.knowledgeDir().resolve(Knowledge.TEAM_FILE);
    TeamDirectory team = TeamLoader.load(teamFile).orElseThrow();
    Person person = team.person(personId).orElseThrow(() -> new NotFoundException(
        "'" + personId + "' is not a person in " + context.names().of(teamFile)));
    try (Db db = context.openDb(TIMEOUT)) {
      db.migrate();
      IssuedToken issued = db.await(new TokenStore(db.pool()).issue(person.id(), person.highestRole(), label));
      context.out().println(issued.token());
      context.err().println("issued a token for " + person.id() + " (role " + person.highestRole().yamlName()
          + (label.isEmpty() ? "" : ", label '" + label + "'") + ", sha256 " + issued.sha256()
          + "). It is shown only now: store it. Revoke with: rebound tokens revoke TOKEN (or its sha256)");
    }
    return OK;
  }
}
