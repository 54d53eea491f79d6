package dev.rebound.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The demo's files, byte for byte as the contract lists them: model artifacts under
 * {@code var/demo/models} and training-dataset snapshots under {@code var/demo/datasets}, each
 * dataset's catalog-current snapshot copied to {@code versions/<id>-seed} with {@code current}
 * (a relative symlink) pointing at it. {@link #writeSeed()} restores exactly that, whatever a
 * drill or a runbook left behind. Blocking: call through {@code executeBlocking}.
 */
final class DemoFiles {
  /** Model name and version of every artifact file. */
  static final List<String[]> MODELS = List.of(
      new String[] {"ranker", "10"}, new String[] {"ranker", "11"}, new String[] {"ranker", "12"},
      new String[] {"fraud", "6"}, new String[] {"fraud", "7"},
      new String[] {"all-minilm-l6-v2", "1"}, new String[] {"bge-small-en-v1.5", "1"});

  /** A snapshot: its dataset, id and the ranges of {@code i} in each part (inclusive). */
  record Snapshot(String dataset, String id, int[][] parts) {}

  static final List<Snapshot> SNAPSHOTS = List.of(
      new Snapshot("ranker-training", "snap-2c9d4b17", new int[][] {{1, 500}, {501, 900}}),
      new Snapshot("ranker-training", "snap-5e1f0c2a", new int[][] {{1, 500}, {501, 1000}}),
      new Snapshot("fraud-training", "snap-7a41e9d3", new int[][] {{1, 800}}));

  /** The catalog-current snapshot of each dataset at seed. */
  static final Map<String, String> SEED_CURRENT = Map.of(
      "ranker-training", "snap-5e1f0c2a", "fraud-training", "snap-7a41e9d3");

  private final Path models;
  private final Path datasets;

  DemoFiles(Path modelsDir, Path datasetsDir) {
    this.models = modelsDir;
    this.datasets = datasetsDir;
  }

  Path modelsDir() {
    return models;
  }

  Path datasetsDir() {
    return datasets;
  }

  static String modelFileName(String name, int version) {
    return name + "-v" + version + ".onnx";
  }

  static byte[] modelBytes(String name, String version) {
    return ("REBOUND-DEMO-MODEL name=" + name + " version=" + version + "\n").getBytes(StandardCharsets.US_ASCII);
  }

  /** Every documented file, rewritten; leftovers of drills under versions/ removed. */
  void writeSeed() {
    try {
      Files.createDirectories(models);
      for (String[] m : MODELS) {
        writeIfDifferent(models.resolve(m[0] + "-v" + m[1] + ".onnx"), modelBytes(m[0], m[1]));
      }
      for (String dataset : SEED_CURRENT.keySet()) {
        Path root = datasets.resolve(dataset);
        Files.createDirectories(root);
        Files.deleteIfExists(root.resolve("current"));
        deleteTree(root.resolve("versions"));
        deleteTree(root.resolve("snapshots"));
      }
      for (Snapshot s : SNAPSHOTS) {
        writeSnapshot(datasets.resolve(s.dataset()).resolve("snapshots").resolve(s.id()), s);
      }
      for (Map.Entry<String, String> e : SEED_CURRENT.entrySet()) {
        Path root = datasets.resolve(e.getKey());
        Path copy = root.resolve("versions").resolve(e.getValue() + "-seed");
        copyDir(root.resolve("snapshots").resolve(e.getValue()), copy);
        pointCurrent(root, "versions/" + e.getValue() + "-seed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the demo files under " + models.getParent(), e);
    }
  }

  /** Part files of a snapshot with their bytes, in name order. */
  static Map<String, byte[]> parts(Snapshot s) {
    Map<String, byte[]> out = new LinkedHashMap<>();
    for (int p = 0; p < s.parts().length; p++) {
      out.put(String.format("part-%05d.csv", p), partBytes(s.dataset(), s.parts()[p][0], s.parts()[p][1]));
    }
    return out;
  }

  static byte[] partBytes(String dataset, int from, int to) {
    StringBuilder sb = new StringBuilder();
    if (dataset.startsWith("ranker")) {
      sb.append("example_id,user_id,item_id,label\n");
      for (int i = from; i <= to; i++) {
        sb.append(i).append(",u").append(String.format("%03d", (i * 7) % 97))
            .append(",it").append(String.format("%04d", (i * 13) % 211))
            .append(',').append(i % 5 == 0 ? 1 : 0).append('\n');
      }
    } else {
      sb.append("txn_id,account_id,amount_cents,label\n");
      for (int i = from; i <= to; i++) {
        sb.append(i).append(",a").append(String.format("%03d", (i * 11) % 53))
            .append(',').append((i * 379L) % 100000).append(',').append(i % 37 == 0 ? 1 : 0).append('\n');
      }
    }
    return sb.toString().getBytes(StandardCharsets.US_ASCII);
  }

  /** {@code sha256sum part-*.csv} output for the parts. */
  static byte[] manifest(Map<String, byte[]> parts) {
    StringBuilder sb = new StringBuilder();
    parts.forEach((name, bytes) -> sb.append(sha256(bytes)).append("  ").append(name).append('\n'));
    return sb.toString().getBytes(StandardCharsets.US_ASCII);
  }

  private static void writeSnapshot(Path dir, Snapshot s) throws IOException {
    Files.createDirectories(dir);
    Map<String, byte[]> parts = parts(s);
    for (Map.Entry<String, byte[]> part : parts.entrySet()) {
      Files.write(dir.resolve(part.getKey()), part.getValue());
    }
    Files.write(dir.resolve("MANIFEST.sha256"), manifest(parts));
  }

  /** Replaces {@code root/current} with a relative symlink to {@code target}, atomically. */
  static void pointCurrent(Path root, String target) throws IOException {
    Path tmp = root.resolve(".current.demo");
    Files.deleteIfExists(tmp);
    Files.createSymbolicLink(tmp, Path.of(target));
    Files.move(tmp, root.resolve("current"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  static void copyDir(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    try (var files = Files.list(from)) {
      for (Path f : files.sorted().toList()) {
        Files.copy(f, to.resolve(f.getFileName().toString()), StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  private static void writeIfDifferent(Path file, byte[] bytes) throws IOException {
    if (Files.isRegularFile(file) && !Files.isSymbolicLink(file) && java.util.Arrays.equals(Files.readAllBytes(file), bytes)) {
      return;
    }
    Files.deleteIfExists(file);
    Files.write(file, bytes);
  }

  /** Deletes a directory tree, making read-only entries (staged copies are chmod a-w) writable first. */
  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Files.walkFileTree(dir, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
        d.toFile().setWritable(true, true);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
        Files.delete(f);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
        if (e != null) {
          throw e;
        }
        Files.delete(d);
        return FileVisitResult.CONTINUE;
      }
    });
  }

  static String sha256(byte[] bytes) {
    return HexFormat.of().formatHex(digest().digest(bytes));
  }

  /** The file's sha256 and size, or null when it is missing or not a regular file. */
  static FileHash hash(Path file) {
    if (!Files.isRegularFile(file)) {
      return null;
    }
    MessageDigest digest = digest();
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
      long size = in.transferTo(java.io.OutputStream.nullOutputStream());
      return new FileHash(HexFormat.of().formatHex(digest.digest()), size);
    } catch (IOException e) {
      return null;
    }
  }

  record FileHash(String sha256, long bytes) {}

  private static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
