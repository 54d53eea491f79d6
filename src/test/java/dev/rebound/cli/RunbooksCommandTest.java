package dev.rebound.cli;

import static dev.rebound.cli.CliRunner.FIXTURES;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** What needs no database; approvals themselves are in {@link RunbooksApproveCommandIT}. */
class RunbooksCommandTest {
  private final CliRunner cli = CliRunner.in(FIXTURES, CliRunner.offline());

  @Test
  void listShowsIdVersionApprovalActiveAndTitle() {
    CliRunner.Result result = cli.run("runbooks", "list", "--no-status");

    assertThat(result.exit()).isZero();
    assertThat(result.outLines()).containsExactly(
        "ID            VERSION  APPROVAL  ACTIVE  TITLE",
        "restart-shop  v2       unknown   active  Restart the shop API");
  }

  @Test
  void listWarnsAboutAForcedIdThatNamesNoRunbook() {
    CliRunner.Result result = CliRunner.in(FIXTURES, CliRunner.offline(java.util.Map.of(
        "REBOUND_INACTIVE_RUNBOOKS", "restart-shp"))).run("runbooks", "list", "--no-status");

    assertThat(result.exit()).isZero();
    assertThat(result.errLines()).containsExactly("rebound: warning: REBOUND_INACTIVE_RUNBOOKS names 'restart-shp',"
        + " which is no runbook here, so it forces nothing (runbooks: restart-shop)");
    assertThat(result.outLines()).contains("restart-shop  v2       unknown   active  Restart the shop API");
  }

  @Test
  void listSaysWhenApprovalsCannotBeRead() {
    CliRunner.Result result = cli.run("runbooks", "list");

    assertThat(result.exit()).isZero();
    assertThat(result.errLines()).singleElement().asString().startsWith("approval state unknown: database unreachable (");
  }

  @Test
  void listJsonHasTheStatusOfEachRunbook() throws Exception {
    CliRunner.Result result = cli.run("--runbooks", "bad", "runbooks", "list", "--json", "--no-status");

    JsonNode json = new ObjectMapper().readTree(result.out());
    assertThat(json).hasSize(2);
    assertThat(json.at("/0/id").asText()).isEqualTo("unknown-asset");
    assertThat(json.at("/0/file").asText()).isEqualTo("bad/unknown-asset.yaml");
    assertThat(json.at("/0/status/active").asBoolean()).isTrue();
    assertThat(result.errLines()).containsExactly(
        "3 runbook files did not load and are not listed: run 'rebound lint' for the problems");
  }

  @Test
  void approveNeedsIdAtVersion() {
    CliRunner.Result result = cli.run("runbooks", "approve", "restart-shop", "--approver", "ben");

    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.err()).startsWith("expected ID@VERSION (e.g. feature-store-restore@1), got 'restart-shop'");
  }

  @Test
  void approveNeedsAnApprover() {
    CliRunner.Result result = cli.run("runbooks", "approve", "restart-shop@2");

    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.err()).startsWith("Missing required option: '--approver=PERSON'");
  }
}
