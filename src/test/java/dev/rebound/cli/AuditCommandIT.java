package dev.rebound.cli;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rebound.audit.ActorType;
import dev.rebound.audit.AuditEvent;
import dev.rebound.audit.Masker;
import dev.rebound.audit.PgAuditLog;
import dev.rebound.db.Database;
import dev.rebound.testing.TestDatabase;
import io.vertx.core.Vertx;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class AuditCommandIT {
  @RegisterExtension static final TestDatabase db = TestDatabase.create();

  @TempDir Path dir;

  @BeforeAll
  static void fill() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      Database database = db.database(vertx).await(30, SECONDS);
      PgAuditLog log = new PgAuditLog(database.pool(), Masker.none());
      for (int i = 1; i <= 3; i++) {
        log.append(AuditEvent.of(ActorType.HUMAN, "alice", "step.approved", "step", "run-1/s" + i)
            .withDetails(Map.of("i", i))).await(10, SECONDS);
      }
    } finally {
      vertx.close().await(10, SECONDS);
    }
  }

  @Test
  void verifyReportsAnIntactChain() {
    CliRunner.Result result = run("audit", "verify");

    assertThat(result.exit()).as(result.toString()).isZero();
    assertThat(result.outLines()).containsExactly("audit chain intact: 3 entries");
  }

  @Test
  void exportToStdoutWritesOneLinePerEntry() {
    CliRunner.Result result = run("audit", "export");

    assertThat(result.exit()).as(result.toString()).isZero();
    assertThat(result.outLines()).hasSize(4);
    assertThat(result.outLines().get(0)).startsWith("{\"audit_export\":{\"entries\":3,\"last_hash\":\"");
    assertThat(result.outLines().subList(1, 4)).allSatisfy(line -> assertThat(line).startsWith("{\"seq\":"));
    assertThat(result.errLines()).containsExactly("exported 3 audit entries");
  }

  @Test
  void anExportFileCutShortFailsVerificationNamingWhereItEnds() throws Exception {
    run("audit", "export", "--out", "audit.jsonl");
    Path file = dir.resolve("audit.jsonl");
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    String lastHash = lines.get(3).replaceAll(".*\"hash\":\"([0-9a-f]{64})\".*", "$1");
    Files.write(file, lines.subList(0, 3));

    CliRunner.Result cut = run("audit", "verify", "--file", "audit.jsonl");

    assertThat(cut.exit()).as(cut.toString()).isEqualTo(1);
    assertThat(cut.outLines()).containsExactly("audit chain BROKEN at entry #3: file ends after entry #2; the export"
        + " recorded 3 entries ending at hash " + lastHash + " (entries cut off its end)");
  }

  @Test
  void anExportFileVerifiesAndAnEditedOneIsBrokenAtTheEditedEntry() throws Exception {
    CliRunner.Result exported = run("audit", "export", "--out", "audit.jsonl");
    CliRunner.Result verified = run("audit", "verify", "--file", "audit.jsonl");
    Path file = dir.resolve("audit.jsonl");
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    Files.write(file, List.of(lines.get(0), lines.get(1), lines.get(2).replace("\"i\":2", "\"i\":20"), lines.get(3)));
    CliRunner.Result broken = run("audit", "verify", "--file", "audit.jsonl");

    assertThat(exported.exit()).as(exported.toString()).isZero();
    assertThat(exported.errLines()).containsExactly("exported 3 audit entries to audit.jsonl");
    assertThat(verified.outLines()).containsExactly("audit chain intact: 3 entries");
    assertThat(broken.exit()).isEqualTo(1);
    assertThat(broken.outLines())
        .containsExactly("audit chain BROKEN at entry #2: hash mismatch: the content of entry #2 was changed");
  }

  @Test
  void aMissingExportFileIsNamed() {
    CliRunner.Result result = run("audit", "verify", "--file", "nope.jsonl");

    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.errLines()).containsExactly("rebound: no export file nope.jsonl");
  }

  @Test
  void anExportToADirectoryIsAUsageErrorAndWritesNothing() throws Exception {
    Files.createDirectory(dir.resolve("exports"));

    CliRunner.Result result = run("audit", "export", "--out", "exports");

    assertThat(result.exit()).as(result.toString()).isEqualTo(2);
    assertThat(result.err()).contains("--out exports: is a directory; give a file path")
        .doesNotContain("unexpected error");
    try (var left = Files.list(dir)) {
      assertThat(left).as("nothing written next to it").containsExactly(dir.resolve("exports"));
    }
    try (var inside = Files.list(dir.resolve("exports"))) {
      assertThat(inside).isEmpty();
    }
  }

  /** Like {@link CliRunner#run}, adding {@code audit} if Main does not register it (yet). */
  private CliRunner.Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new Main(CliEnvironment.of(Map.of("DATABASE_URL", db.urlText()), dir)));
    if (!cli.getSubcommands().containsKey("audit")) {
      cli.addSubcommand(new AuditCommand());
    }
    int exit = cli.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(args);
    return new CliRunner.Result(exit, out.toString(), err.toString());
  }
}
