package dev.rebound.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What training reads now: where a dataset's {@code current} link points, the sha256 of the live
 * {@code MANIFEST.sha256}, how many parts match the manifest and how many rows they hold (lines
 * minus the header). The dataset-integrity endpoint compares this with the catalog, which is what
 * the TrainingDatasetChecksumMismatch alert watches. Blocking.
 *
 * @param currentTarget the link's target ({@code versions/<name>}), null without a link
 * @param liveManifestSha256 null when there is no live manifest
 * @param liveRows null when there is no live manifest
 */
record DatasetFiles(String currentTarget, String liveManifestSha256, Long liveRows, int partsTotal, int partsOk) {
  private static final Pattern LINE = Pattern.compile("([0-9a-f]{64})  (part-[0-9]{5}\\.csv)");

  static DatasetFiles inspect(Path datasetRoot) {
    Path current = datasetRoot.resolve("current");
    String target = null;
    try {
      if (Files.isSymbolicLink(current)) {
        target = Files.readSymbolicLink(current).toString();
      }
    } catch (IOException e) {
      target = null;
    }
    DemoFiles.FileHash manifest = DemoFiles.hash(current.resolve("MANIFEST.sha256"));
    if (manifest == null) {
      return new DatasetFiles(target, null, null, 0, 0);
    }
    List<String> lines;
    try {
      lines = Files.readAllLines(current.resolve("MANIFEST.sha256"), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      return new DatasetFiles(target, manifest.sha256(), null, 0, 0);
    }
    long rows = 0;
    int ok = 0;
    for (String line : lines) {
      Matcher m = LINE.matcher(line);
      if (!m.matches()) {
        continue;
      }
      Path part = current.resolve(m.group(2));
      DemoFiles.FileHash hash = DemoFiles.hash(part);
      if (hash != null && hash.sha256().equals(m.group(1))) {
        ok++;
      }
      rows += Math.max(0, lineCount(part) - 1);
    }
    return new DatasetFiles(target, manifest.sha256(), rows, lines.size(), ok);
  }

  private static long lineCount(Path file) {
    try {
      byte[] bytes = Files.readAllBytes(file);
      long n = 0;
      for (byte b : bytes) {
        if (b == '\n') {
          n++;
        }
      }
      return n;
    } catch (IOException e) {
      return 0;
    }
  }
}
