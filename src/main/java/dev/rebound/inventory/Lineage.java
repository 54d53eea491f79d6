package dev.rebound.inventory;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where an asset's data comes from: the assets it is computed from, the artifact it is (with the
 * hash a {@code sha256} check compares against) and the training-data snapshot it was built on.
 * {@code artifact} and {@code trainingData} are null when not recorded; use the Optional
 * accessors.
 */
public record Lineage(List<String> derivedFrom, Artifact artifact, TrainingData trainingData) {
  public static final Lineage NONE = new Lineage(List.of(), null, null);

  public Lineage {
    derivedFrom = List.copyOf(derivedFrom);
  }

  public Optional<Artifact> findArtifact() {
    return Optional.ofNullable(artifact);
  }

  public Optional<TrainingData> findTrainingData() {
    return Optional.ofNullable(trainingData);
  }

  /** A built artifact; {@code sha256} is lower-case hex or null, {@code version} may be null. */
  public record Artifact(String uri, String sha256, String version) {
    public Artifact {
      Objects.requireNonNull(uri, "uri");
    }
  }

  /** The asset a model was trained on and, when recorded, the snapshot of it that was used. */
  public record TrainingData(String asset, String snapshot) {
    public TrainingData {
      Objects.requireNonNull(asset, "asset");
    }
  }
}
