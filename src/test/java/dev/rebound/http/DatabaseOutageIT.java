package dev.rebound.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rebound.testing.TcpRelay;
import dev.rebound.testing.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The database goes away under a running service and comes back (a {@link TcpRelay} between the
 * two is cut and restored): meanwhile every API call that needs it is a 503 naming the database,
 * never a 500 with a reference; afterwards the service answers again without a restart. The loops
 * that fail on every tick meanwhile (the engine's poll, the audit's seals) say so once, not each time.
 */
@ExtendWith(VertxExtension.class)
class DatabaseOutageIT {
  @RegisterExtension static final TestDatabase db = TestDatabase.create();
  private static final String ADMIN = ServiceUnderTest.ADMIN_TOKEN;
  private static final List<String> NEED_THE_DATABASE =
      List.of("/api/runbooks", "/api/audit/verify", "/api/incidents", "/api/runs/run_0mwzb66sq_9kvzfq0t5w");

  @Test
  void api_calls_are_503_naming_the_database_while_it_is_away_and_work_again_once_it_is_back(Vertx vertx,
      @TempDir Path tempDir) throws Exception {
    TcpRelay relay = TcpRelay.start(vertx, db.url().host(), db.url().port());
    String viaRelay = db.urlText().replace(":" + db.url().port() + "/", ":" + relay.port() + "/");
    ServiceUnderTest service = ServiceUnderTest.start(vertx, viaRelay, tempDir);
    try {
      assertThat(service.get("/api/runbooks", ADMIN).statusCode()).isEqualTo(200);

      ByteArrayOutputStream logged = new ByteArrayOutputStream();
      PrintStream stderr = System.err;
      // slf4j-simple looks System.err up at every line, so what the loops log while it is away lands here too.
      System.setErr(new PrintStream(logged, true, StandardCharsets.UTF_8));
      try {
        relay.cut();
        Thread.sleep(3_000); // six polls of the engine, each with a seal of the audit
      } finally {
        System.setErr(stderr);
        stderr.print(logged.toString(StandardCharsets.UTF_8));
      }
      List<String> lines = logged.toString(StandardCharsets.UTF_8).lines().toList();
      // Before: every tick logged "engine poll failed", and the sealer's failure twice (~6 lines a second).
      assertThat(lines.stream().filter(l -> l.contains("engine poll"))).as(lines.toString()).hasSize(1)
          .allSatisfy(l -> assertThat(l).contains("engine poll failed: "));
      assertThat(lines.stream().filter(l -> l.contains("seal"))).as(lines.toString()).hasSizeLessThanOrEqualTo(1);

      for (String path : NEED_THE_DATABASE) {
        HttpResponse<Buffer> response = service.get(path, ADMIN);
        // Before: 500 {"code": "internal_error", "message": "internal error (reference …)"}.
        assertThat(response.statusCode()).as(path).isEqualTo(503);
        JsonObject error = response.bodyAsJsonObject().getJsonObject("error");
        assertThat(error.getString("code")).as(path).isEqualTo("unavailable");
        assertThat(error.getString("message")).as(path)
            .startsWith("database postgresql://rebound")
            .contains(":" + relay.port() + "/" + db.url().database() + " unavailable: ")
            .doesNotContain("rebound-local-pw");
      }
      assertThat(service.get("/health/ready", null).statusCode()).isEqualTo(503);
      assertThat(service.get("/health/live", null).statusCode()).isEqualTo(200);

      relay.restore();

      long deadline = System.nanoTime() + 10_000_000_000L;
      int status;
      do {
        Thread.sleep(200);
        status = service.get("/api/runbooks", ADMIN).statusCode();
      } while (status != 200 && System.nanoTime() < deadline);
      assertThat(status).isEqualTo(200);
      assertThat(service.get("/health/ready", null).statusCode()).isEqualTo(200);
      assertThat(service.get("/api/audit/verify", ADMIN).bodyAsJsonObject().getBoolean("ok")).isTrue();
    } finally {
      service.stop();
    }
  }
}
