package dev.rebound.cli;

import dev.rebound.audit.AuditVerifier;
import dev.rebound.audit.VerifyResult;
import dev.rebound.error.NotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rebound audit verify [--file EXPORT]}. */
@Command(
    name = "verify",
    description = {
      "Walk the audit chain from the first entry, recompute every hash, and name the first entry"
          + " that was changed, removed or cut off.",
      "%nPrints 'audit chain intact: N entries' (exit 0) or 'audit chain BROKEN at entry #S: reason'"
          + " (exit 1). With --file, checks an export instead of the database, and that it still holds"
          + " every entry its first line records; an export written before exports recorded their end"
          + " verifies with a warning that entries cut off its end would go unnoticed."
    })
final class AuditVerifyCommand extends CliCommand {
  /** Whole-chain budget: it reads every entry (tens of thousands a second here). */
  private static final Duration TIMEOUT = Duration.ofMinutes(30);

  @Option(names = "--file", paramLabel = "FILE",
      description = "An export (rebound audit export) to verify, no database needed.")
  String file;

  @Override
  int run(CliContext context) throws IOException {
    VerifyResult result = file == null ? verifyDatabase(context) : verifyFile(context.names().resolve(file), context);
    context.out().println(result.summary());
    return result.ok() ? OK : PROBLEMS;
  }

  private static VerifyResult verifyDatabase(CliContext context) {
    try (Db db = context.openDb(TIMEOUT)) {
      return db.await(new AuditVerifier(db.pool()).verify());
    }
  }

  private static VerifyResult verifyFile(Path path, CliContext context) throws IOException {
    if (!Files.isRegularFile(path)) {
      throw new NotFoundException("no export file " + context.names().of(path));
    }
    try (InputStream in = Files.newInputStream(path)) {
      return AuditVerifier.verifyExport(in);
    }
  }
}
