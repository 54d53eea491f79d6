package dev.rebound.cli;

import dev.rebound.config.DatabaseUrl;
import dev.rebound.db.Database;
import dev.rebound.db.TokenStore;
import dev.rebound.error.UnavailableException;
import dev.rebound.inventory.Person;
import dev.rebound.inventory.TeamDirectory;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.io.PrintWriter;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The well-known API tokens of {@code serve --demo}: {@code demo-<person>} for everyone in
 * team.yaml, with their highest role, labelled {@code demo}. They are guessable by design, so a
 * normal start revokes the whole label before the server accepts a request, and a demo start,
 * once it listens, replaces the label by the tokens of the people in team.yaml now.
 */
final class DemoTokens {
  static final String LABEL = TokensIssueCommand.DEMO_LABEL;
  private static final long TIMEOUT_S = 30;
  private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost", "::1");

  private DemoTokens() {}

  static String tokenFor(Person person) {
    return "demo-" + person.id();
  }

  /**
   * Revokes every demo token, with a pool of its own (the service's does not exist yet), after
   * migrating so the table is there on a fresh database. Returns how many were active.
   */
  static int revokeBeforeStart(Vertx vertx, DatabaseUrl url) {
    Database database = Database.create(vertx, url);
    try {
      await(database.migrate());
      return await(new TokenStore(database.pool()).replaceLabelled(LABEL, List.of()));
    } finally {
      database.close();
    }
  }

  static void create(Pool pool, TeamDirectory team) {
    List<TokenStore.KnownToken> tokens = team.people().stream()
        .map(p -> new TokenStore.KnownToken(tokenFor(p), p.id(), p.highestRole()))
        .toList();
    await(new TokenStore(pool).replaceLabelled(LABEL, tokens));
  }

  /** The "try it" block: the tokens with their roles, and requests to copy. */
  static void printTryIt(TeamDirectory team, String url, String host, PrintWriter out) {
    out.println();
    out.println("Demo mode: these API tokens are guessable; never run --demo where others can reach it.");
    if (!LOOPBACK.contains(host)) {
      out.println("WARNING: listening on " + host + ", which other machines may reach.");
    }
    Table table = new Table("  TOKEN", "PERSON", "ROLE");
    team.people().forEach(p -> table.row("  " + tokenFor(p), p.id(), p.highestRole().yamlName()));
    table.print(out);
    String token = tokenFor(team.people().get(0));
    out.println();
    out.println("Console: " + url + "/  (sign in with a token above; approvers approve, responders start runs)");
    out.println();
    out.println("Try it:");
    out.println("  curl -s -H 'Authorization: Bearer " + token + "' " + url + "/api/runbooks");
    out.println("  curl -s -H 'Authorization: Bearer " + token + "' " + url + "/api/whoami");
    out.println("  curl -s -H 'Authorization: Bearer " + token + "' " + url + "/api/assets/features.online/impact");
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.await(TIMEOUT_S, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new UnavailableException("database did not answer within " + TIMEOUT_S + "s", e);
    }
  }
}
