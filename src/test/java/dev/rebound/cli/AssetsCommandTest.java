package dev.rebound.cli;

import static dev.rebound.cli.CliRunner.FIXTURES;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AssetsCommandTest {
  // No DATABASE_URL at all, and an invalid one would not matter: assets commands never load config.
  private final CliRunner cli = CliRunner.in(FIXTURES, Map.of("DATABASE_URL", "not a url"));

  @Test
  void impactListsWhatIsDownstreamWithPathAndTheTightestRto() {
    CliRunner.Result result = cli.run("assets", "impact", "db.orders");

    assertThat(result.exit()).as(result.toString()).isZero();
    assertThat(result.outLines()).containsExactly(
        "impact of db.orders (Orders database, data_source, tier 1, RTO 30m)",
        "tightest RTO: 10m (svc.shop stays down until db.orders is back): recover within 10m, not 30m",
        "2 affected assets, nearest first:",
        "  ASSET               KIND     TIER  RTO  VIA           PATH",
        "  models.recommender  model    2     2h   derived_from  db.orders -> models.recommender",
        "  svc.shop            service  1     10m  depends_on    db.orders -> svc.shop");
  }

  @Test
  void impactOfALeafSaysNothingElseIsAffected() {
    CliRunner.Result result = cli.run("assets", "impact", "svc.search");

    assertThat(result.outLines()).containsExactly(
        "impact of svc.search (Search, service, RTO 4h)",
        "tightest RTO: 4h (its own)",
        "nothing else is affected: no asset depends on or is derived from it");
  }

  @Test
  void impactJsonIsTheApiShape() throws Exception {
    CliRunner.Result result = cli.run("assets", "impact", "db.orders", "--json");

    JsonNode json = new ObjectMapper().readTree(result.out());
    assertThat(json.at("/failed_asset/id").asText()).isEqualTo("db.orders");
    assertThat(json.at("/affected_count").asInt()).isEqualTo(2);
    assertThat(json.at("/affected/1/path/1").asText()).isEqualTo("svc.shop");
    assertThat(json.at("/tightest_rto/asset_id").asText()).isEqualTo("svc.shop");
  }

  @Test
  void orderPrintsWavesDependenciesFirst() {
    CliRunner.Result result = cli.run("assets", "order", "db.orders", "svc.search");

    assertThat(result.exit()).isZero();
    assertThat(result.outLines()).containsExactly(
        "recovery order after db.orders, svc.search failed: 4 assets in 3 waves (dependencies first;"
            + " assets in one wave can be recovered in parallel)",
        "",
        "wave 1",
        "  ACTION   ASSET       KIND         TIER  RTO  RUNBOOKS",
        "  restore  db.orders   data_source  1     30m  restart-shop",
        "  restore  svc.search  service      -     4h   -",
        "",
        "wave 2",
        "  ACTION      ASSET               KIND   TIER  RTO  RUNBOOKS",
        "  revalidate  models.recommender  model  2     2h   -",
        "",
        "wave 3",
        "  ACTION      ASSET     KIND     TIER  RTO  RUNBOOKS",
        "  revalidate  svc.shop  service  1     10m  restart-shop");
  }

  @Test
  void orderJsonIsTheApiShape() throws Exception {
    CliRunner.Result result = cli.run("assets", "order", "db.orders", "--json");

    JsonNode json = new ObjectMapper().readTree(result.out());
    assertThat(json.at("/order").toString()).isEqualTo("[\"db.orders\",\"models.recommender\",\"svc.shop\"]");
    assertThat(json.at("/waves/0/assets/0/action").asText()).isEqualTo("restore");
  }

  @Test
  void unknownAssetIsOneLineNamingTheFileAndTheIdsItHas() {
    CliRunner.Result order = cli.run("assets", "order", "db.orders", "nope");
    CliRunner.Result impact = cli.run("assets", "impact", "db.order");

    assertThat(order.exit()).isEqualTo(1);
    assertThat(order.errLines()).containsExactly("rebound: asset 'nope' not found in knowledge/assets.yaml"
        + " (known: db.orders, models.recommender, svc.search, svc.shop)");
    assertThat(impact.exit()).isEqualTo(1);
    assertThat(impact.errLines()).containsExactly("rebound: asset 'db.order' not found in knowledge/assets.yaml"
        + " (known: db.orders, models.recommender, svc.search, svc.shop)");
  }

  @Test
  void brokenKnowledgeFailsWithEachProblem() {
    CliRunner.Result result = cli.run("--knowledge", "bad-knowledge", "assets", "impact", "db.orders");

    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.errLines()).hasSize(2)
        .allSatisfy(line -> assertThat(line).startsWith("bad-knowledge/"));
  }
}
