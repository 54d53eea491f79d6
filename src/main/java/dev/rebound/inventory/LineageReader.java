package dev.rebound.inventory;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** Reads an asset's {@code lineage:} block; its asset references go to the draft's upstream list. */
final class LineageReader {
  private static final Pattern SHA256 = Pattern.compile("^[0-9a-fA-F]{64}$");

  private LineageReader() {}

  static Lineage read(MappingReader asset, List<AssetDraft.Upstream> upstream) {
    Optional<MappingReader> found = asset.mapping("lineage");
    if (found.isEmpty()) {
      return Lineage.NONE;
    }
    MappingReader m = found.get();
    m.allowOnly(List.of("derived_from", "artifact", "training_data"));
    List<Located> derived = Lists.distinct(m, "derived_from", m.textList("derived_from"));
    derived.forEach(d -> upstream.add(new AssetDraft.Upstream(d, EdgeKind.DERIVED_FROM)));
    Lineage.Artifact artifact = m.mapping("artifact").map(LineageReader::artifact).orElse(null);
    Lineage.TrainingData training = m.mapping("training_data").map(t -> trainingData(t, upstream)).orElse(null);
    return new Lineage(derived.stream().map(Located::value).toList(), artifact, training);
  }

  private static Lineage.Artifact artifact(MappingReader m) {
    m.allowOnly(List.of("uri", "sha256", "version"));
    Optional<Located> uri = m.text("uri", true).filter(u -> hasScheme(m, u));
    String sha256 = m.text("sha256", false)
        .filter(s -> {
          boolean ok = SHA256.matcher(s.value()).matches();
          if (!ok) {
            m.problem("sha256",
                "'" + m.field("sha256") + "' must be 64 hexadecimal characters, got '" + s.value() + "'");
          }
          return ok;
        })
        .map(s -> s.value().toLowerCase(Locale.ROOT))
        .orElse(null);
    String version = m.scalar("version", false).map(Located::value).orElse(null);
    return uri.map(u -> new Lineage.Artifact(u.value(), sha256, version)).orElse(null);
  }

  private static Lineage.TrainingData trainingData(MappingReader m, List<AssetDraft.Upstream> upstream) {
    m.allowOnly(List.of("asset", "snapshot"));
    Optional<Located> asset = m.text("asset", true);
    asset.ifPresent(a -> upstream.add(new AssetDraft.Upstream(a, EdgeKind.TRAINING_DATA)));
    String snapshot = m.scalar("snapshot", false).map(Located::value).orElse(null);
    return asset.map(a -> new Lineage.TrainingData(a.value(), snapshot)).orElse(null);
  }

  // A relative path without a scheme would be resolved against whatever directory the service
  // happens to run in; the scheme ("file:", "s3:", "https:") makes the intent explicit.
  private static boolean hasScheme(MappingReader m, Located uri) {
    try {
      if (new URI(uri.value()).getScheme() != null) {
        return true;
      }
    } catch (URISyntaxException e) {
      // reported below
    }
    m.problem("uri", "'" + m.field("uri") + "' must be a URI with a scheme (file:, s3:, https:), got '"
        + uri.value() + "'");
    return false;
  }
}
