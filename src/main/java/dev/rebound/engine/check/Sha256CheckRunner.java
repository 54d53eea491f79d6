package dev.rebound.engine.check;

import dev.rebound.digest.Sha256;
import dev.rebound.engine.target.Deadline;
import dev.rebound.engine.target.HttpTarget;
import dev.rebound.engine.target.TargetCallException;
import dev.rebound.inventory.Asset;
import dev.rebound.inventory.Lineage;
import dev.rebound.runbook.Check;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@code check: sha256}: hashes an artifact and compares with the recorded hash. With
 * {@code asset}, both come from the asset's lineage ({@code artifact.uri}, {@code artifact.sha256})
 * looked up in the inventory at run time; otherwise {@code path} or {@code url} with
 * {@code expected}. Paths and {@code file:} URIs without {@code //} ({@code file:./var/x.onnx})
 * are relative to the artifact base directory ({@code ReboundConfig.artifactBase()}, by default
 * Rebound's working directory); {@code file:///abs} and absolute paths are
 * absolute. http(s) URLs are fetched with GET. Either way the content is streamed through the
 * digest (never held in memory), within the check's timeout and at most {@code sizeLimit} bytes.
 */
final class Sha256CheckRunner implements CheckRunner {
  /** Model artifacts can be large; the timeout bounds the time, this the bytes. */
  static final long DEFAULT_SIZE_LIMIT = 16L * 1024 * 1024 * 1024;
  private static final int CHUNK = 1024 * 1024;

  private final HttpTarget http;
  private final Path workingDir;
  private final Function<String, Optional<Asset>> assets;
  private final long sizeLimit;

  Sha256CheckRunner(HttpTarget http, Path workingDir, Function<String, Optional<Asset>> assets, long sizeLimit) {
    this.http = http;
    this.workingDir = workingDir.toAbsolutePath();
    this.assets = assets;
    this.sizeLimit = sizeLimit;
  }

  /** Where the content is and what its hash must be. */
  private record Target(String location, String expected) {}

  /** {@code where}: the URL, or the file as resolved (which file a relative path named is the question). */
  private record Hash(String sha256, long size, String where) {}

  @Override
  public CheckResult run(Check rendered, CheckContext ctx) {
    Check.Sha256 check = (Check.Sha256) rendered;
    String subject = check.asset().or(check::path).or(check::url).orElse("?");
    String name = check.name().orElse("sha256 of " + subject);
    long start = System.nanoTime();
    Target target;
    try {
      target = target(check);
    } catch (IllegalArgumentException e) {
      return CheckResult.fail("sha256", name, "", check.expected().orElse(""), e.getMessage(), 0);
    }
    Hash hash;
    try {
      hash = hash(target.location(), Deadline.after(ctx.timeout()));
    } catch (TargetCallException | IllegalArgumentException e) {
      return CheckResult.fail("sha256", name, "not hashed", target.expected(), e.getMessage(), Texts.millis(start));
    }
    boolean passed = hash.sha256().equalsIgnoreCase(target.expected());
    String message = (passed ? "matches" : "does not match the recorded hash") + " (" + hash.where() + ", "
        + hash.size() + " bytes)";
    return new CheckResult("sha256", name, passed, hash.sha256(), target.expected().toLowerCase(Locale.ROOT),
        message, Texts.millis(start));
  }

  private Target target(Check.Sha256 check) {
    if (check.asset().isPresent()) {
      String id = check.asset().get();
      Asset asset = assets.apply(id)
          .orElseThrow(() -> new IllegalArgumentException("asset '" + id + "' is not in the inventory"));
      Lineage.Artifact artifact = asset.lineage().findArtifact()
          .orElseThrow(() -> new IllegalArgumentException("asset '" + id + "' has no lineage artifact"));
      if (artifact.sha256() == null || artifact.sha256().isBlank()) {
        throw new IllegalArgumentException("asset '" + id + "' has no recorded sha256 for " + artifact.uri());
      }
      return new Target(artifact.uri(), artifact.sha256());
    }
    String expected = check.expected().filter(s -> !s.isBlank())
        .orElseThrow(() -> new IllegalArgumentException("sha256 check needs 'expected' with 'path' or 'url'"));
    if (!expected.matches("(?i)[0-9a-f]{64}")) {
      throw new IllegalArgumentException("expected '" + expected + "' is not 64 hex digits");
    }
    if (check.path().isPresent()) {
      return new Target(check.path().get(), expected);
    }
    if (check.url().isPresent()) {
      return new Target(check.url().get(), expected);
    }
    throw new IllegalArgumentException("sha256 check needs 'asset', or 'path' or 'url' with 'expected'");
  }

  private Hash hash(String location, Deadline deadline) {
    String lower = location.toLowerCase(Locale.ROOT);
    if (lower.startsWith("http://") || lower.startsWith("https://")) {
      HttpRequest request = HttpTarget.request("GET", location, Map.of(), HttpRequest.BodyPublishers.noBody()).build();
      HttpTarget.Digest digest = http.sha256(request, deadline, sizeLimit);
      if (digest.sha256() == null) {
        throw TargetCallException.permanent("GET " + location + " returned " + digest.status());
      }
      return new Hash(digest.sha256(), digest.size(), location);
    }
    return hashFile(path(location), deadline);
  }

  /** A plain path, or a {@code file:} URI; relative ones against the working directory. */
  Path path(String location) {
    try {
      if (location.regionMatches(true, 0, "file://", 0, 7)) {
        return Path.of(URI.create(location));
      }
      if (location.regionMatches(true, 0, "file:", 0, 5)) {
        return workingDir.resolve(location.substring(5)).normalize();
      }
      if (location.matches("(?i)[a-z][a-z0-9+.-]*://.*")) {
        throw new IllegalArgumentException("'" + location + "': only file: and http(s) artifacts can be hashed");
      }
      return workingDir.resolve(location).normalize();
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException("'" + location + "' is not a valid path");
    }
  }

  private Hash hashFile(Path file, Deadline deadline) {
    MessageDigest digest = Sha256.newDigest();
    if (!Files.isRegularFile(file)) {
      throw TargetCallException.permanent(
          Files.exists(file) ? file + " is not a regular file" : file + " does not exist");
    }
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      if (channel.size() > sizeLimit) {
        throw TargetCallException.permanent(file + " is larger than the limit of " + sizeLimit + " bytes");
      }
      ByteBuffer buffer = ByteBuffer.allocate(CHUNK);
      long size = 0;
      while (channel.read(buffer) != -1) {
        buffer.flip();
        size += buffer.remaining();
        digest.update(buffer);
        buffer.clear();
        if (size > sizeLimit) {
          throw TargetCallException.permanent(file + " grew beyond the limit of " + sizeLimit + " bytes");
        }
        if (deadline.expired()) {
          throw TargetCallException.transientNotApplied(
              "hashing " + file + " timed out after " + Texts.duration(deadline.total()) + " (" + size + " bytes read)", null);
        }
      }
      return new Hash(HexFormat.of().formatHex(digest.digest()), size, file.toString());
    } catch (NoSuchFileException e) {
      throw TargetCallException.permanent(file + " does not exist");
    } catch (IOException e) {
      throw TargetCallException.permanent("cannot read " + file + ": " + e.getMessage());
    }
  }
}
