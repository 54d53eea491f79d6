package dev.rebound.engine;

import dev.rebound.digest.Sha256;
import dev.rebound.runbook.LoadResult;
import dev.rebound.runbook.Runbook;
import dev.rebound.runbook.RunbookLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * {@link RunbookSource} over {@code <runbooks dir>/<id>.yaml}. Reads the file's bytes on every
 * call and parses them again whenever they differ from the last parse (cached by the SHA-256 of
 * the bytes, not by size or modification time, which an edit within the same millisecond could
 * leave unchanged). The file name is the runbook id by the format's rule; a file whose {@code id}
 * says otherwise is not served.
 */
public final class FileRunbookSource implements RunbookSource {
  private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]*");

  private final Path dir;
  private final RunbookLoader loader = new RunbookLoader();
  private final Map<String, Parsed> cache = new ConcurrentHashMap<>();

  private record Parsed(String bytesSha256, Runbook runbook) {}

  public FileRunbookSource(Path runbooksDir) {
    this.dir = runbooksDir;
  }

  @Override
  public Optional<Runbook> current(String id) {
    if (id == null || !ID.matcher(id).matches()) {
      return Optional.empty();
    }
    Path file = dir.resolve(id + ".yaml");
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      cache.remove(id);
      return Optional.empty();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot read runbook file " + file.getFileName(), e);
    }
    String sha = Sha256.hex(bytes);
    Parsed cached = cache.get(id);
    if (cached != null && cached.bytesSha256().equals(sha)) {
      return Optional.of(cached.runbook());
    }
    LoadResult result = loader.parse(new String(bytes, StandardCharsets.UTF_8), file.getFileName().toString());
    Optional<Runbook> runbook = result.runbook().filter(r -> r.id().equals(id));
    runbook.ifPresentOrElse(r -> cache.put(id, new Parsed(sha, r)), () -> cache.remove(id));
    return runbook;
  }
}
