package dev.rebound.retrieval;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class IndexStatusTest {
  private static final Staleness NEVER_BUILT = new Staleness(Optional.empty(),
      List.of(new DocKey(DocKind.RUNBOOK, "cache-restore"), new DocKey(DocKind.ASSET, "cache.prices")), List.of(),
      List.of(), 0, Optional.empty());

  @Test
  void while_the_service_indexes_readiness_says_so_instead_of_asking_for_an_index_run() throws Exception {
    IndexStatus status = new IndexStatus();
    status.checked(NEVER_BUILT);
    assertThat(summary(status)).isEqualTo("not built yet: 2 documents to index (run `rebound index`)");

    status.indexing();
    status.checked(NEVER_BUILT);

    assertThat(summary(status)).isEqualTo("indexing now, in this service: 2 documents to add, update or remove");
    assertThat(status.check().await(1, TimeUnit.SECONDS).details()).containsEntry("index", "indexing");
  }

  private static Object summary(IndexStatus status) throws Exception {
    return status.check().await(1, TimeUnit.SECONDS).details().get("summary");
  }
}
