package dev.rebound.drill;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rebound.runbook.Runbook;
import dev.rebound.runbook.RunbookLoader;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A drill's runbook must act on the demo system the drill breaks, not on whatever its variables name. */
class DrillTargetsTest {
  private static final Runbook RESTORE =
      new RunbookLoader().load(Path.of("runbooks/feature-store-restore.yaml")).orElseThrow();

  @Test
  void the_runbook_of_a_drill_acting_on_the_broken_demo_system_passes() {
    assertThat(RESTORE.envNames()).contains("FEATURES_URL", "DEMO_ADMIN_TOKEN");
    assertThat(DrillTargets.elsewhere(RESTORE, Map.of("FEATURES_URL", "http://localhost:18090/features",
        "DEMO_ADMIN_TOKEN", "t"), URI.create("http://localhost:18090"))).isEmpty();
    // The loopback under another name is the same server.
    assertThat(DrillTargets.elsewhere(RESTORE, Map.of("FEATURES_URL", "http://localhost:8090/features"),
        URI.create("http://127.0.0.1:8090"))).isEmpty();
  }

  @Test
  void a_runbook_whose_variables_name_another_server_is_refused_naming_them() {
    // The drill breaks a demo on 18090 while FEATURES_URL still names 8090 (another person's demo),
    // or, in a configuration written for production, production itself.
    assertThat(DrillTargets.elsewhere(RESTORE, Map.of("FEATURES_URL", "http://localhost:8090/features",
        "REGISTRY_URL", "http://elsewhere:1/registry"), URI.create("http://localhost:18090")))
        .hasValue("runbook feature-store-restore would act on FEATURES_URL=http://localhost:8090/features, not on"
            + " the demo system this drill breaks (http://localhost:18090); point those variables at it, or"
            + " REBOUND_DEMO_URL (drills.demo_url) at the demo system they name");
    assertThat(DrillTargets.elsewhere(RESTORE, Map.of("FEATURES_URL", "https://features.prod.internal"),
        URI.create("http://localhost:8090"))).get().asString().contains("FEATURES_URL=https://features.prod.internal");
  }
}
