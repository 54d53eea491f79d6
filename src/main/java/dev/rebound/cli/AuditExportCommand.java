package dev.rebound.cli;

import dev.rebound.audit.AuditExport;
import dev.rebound.error.ValidationException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code rebound audit export [--out FILE]}. */
@Command(
    name = "export",
    description = {
      "Write the whole audit log as JSON Lines to stdout or a file: first where the chain ends"
          + " ({\"audit_export\":{\"entries\":N,\"last_hash\":...}}), then one entry per line with every"
          + " field and both hashes.",
      "%nThe export is a consistent snapshot and verifies on its own, entries cut off its end"
          + " included: rebound audit verify --file FILE."
          + " Keep copies outside the database: they expose a rewrite of the whole chain."
    })
final class AuditExportCommand extends CliCommand {
  private static final Duration TIMEOUT = Duration.ofMinutes(30);

  @Option(names = "--out", paramLabel = "FILE",
      description = "Write to FILE instead of stdout (replaced only once complete).")
  String out;

  @Override
  int run(CliContext context) throws IOException {
    Path target = out == null ? null : writable(context);
    try (Db db = context.openDb(TIMEOUT)) {
      AuditExport export = new AuditExport(db.pool());
      if (target == null) {
        long count = export.writeTo(context.out());
        context.err().println("exported " + entries(count));
        return OK;
      }
      // Written next to the target and moved into place when complete, so a failed export never
      // leaves a file that looks like a whole (shorter) log.
      Path partial = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".partial");
      try {
        long count;
        try (OutputStream stream = Files.newOutputStream(partial)) {
          count = export.writeTo(stream);
        }
        Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        context.err().println("exported " + entries(count) + " to "
            + context.names().of(target));
        return OK;
      } finally {
        Files.deleteIfExists(partial);
      }
    }
  }

  /** Where {@code --out} writes, checked before any work (the move into place would fail only at the end). */
  private Path writable(CliContext context) {
    Path target = context.names().resolve(out);
    if (Files.isDirectory(target)) {
      throw new ParameterException(spec.commandLine(), "--out " + out + ": is a directory; give a file path");
    }
    if (!Files.isDirectory(target.getParent())) {
      throw new ValidationException("cannot write " + context.names().of(target) + ": no such directory");
    }
    return target;
  }

  private static String entries(long count) {
    return count + (count == 1 ? " audit entry" : " audit entries");
  }
}
