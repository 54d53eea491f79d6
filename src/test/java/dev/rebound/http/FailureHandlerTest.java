package dev.rebound.http;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rebound.error.UnavailableException;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What a failed request leaves in the log (slf4j-simple writes to standard error): a bug is an
 * error with its stack trace and the reference the caller got; an expected unavailability is one
 * warning line, however often it is asked for.
 */
@ExtendWith(VertxExtension.class)
class FailureHandlerTest {
  private HttpServer server;
  private WebClient client;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    Router router = Router.router(vertx);
    router.get("/slack/events").handler(ctx -> ctx.fail(new UnavailableException("Slack is not configured", null)));
    router.get("/api/db").handler(ctx -> ctx.fail(new UnavailableException("the database cannot be reached",
        new ConnectException("Connection refused"))));
    router.get("/api/boom").handler(ctx -> {
      throw new IllegalStateException("a bug");
    });
    router.route().failureHandler(new FailureHandler(
        dev.rebound.config.DatabaseUrl.parse("DATABASE_URL", "postgresql://rebound@127.0.0.1:1/rebound")));
    server = vertx.createHttpServer().requestHandler(router).listen(0).await(10, SECONDS);
    client = WebClient.create(vertx);
  }

  @AfterEach
  void stop() throws Exception {
    client.close();
    server.close().await(10, SECONDS);
  }

  @Test
  void an_unavailable_dependency_is_one_warning_line_without_a_stack_trace() throws Exception {
    List<String> lines = logOf("/slack/events", 503);
    assertThat(lines).hasSize(1);
    assertThat(lines.get(0)).contains("WARN").contains("GET /slack/events unavailable: Slack is not configured");

    assertThat(logOf("/api/db", 503)).singleElement().asString().contains("WARN")
        .endsWith("GET /api/db unavailable: the database cannot be reached (java.net.ConnectException: Connection"
            + " refused)");
  }

  @Test
  void a_bug_is_an_error_with_its_stack_trace_and_the_reference_the_caller_got() throws Exception {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    HttpResponse<Buffer> response = capturingStandardError(captured, "/api/boom");
    assertThat(response.statusCode()).isEqualTo(500);
    String message = response.bodyAsJsonObject().getJsonObject("error").getString("message");
    String reference = message.replaceAll(".*\\(reference (\\w+)\\)", "$1");
    assertThat(reference).hasSize(8);
    String log = captured.toString(StandardCharsets.UTF_8);
    assertThat(log).contains("ERROR").contains("GET /api/boom failed [" + reference + "]")
        .contains("java.lang.IllegalStateException: a bug").contains("\tat ");
  }

  /** The lines standard error got while {@code path} was asked for, which must answer {@code status}. */
  private List<String> logOf(String path, int status) throws Exception {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    assertThat(capturingStandardError(captured, path).statusCode()).isEqualTo(status);
    return captured.toString(StandardCharsets.UTF_8).lines().toList();
  }

  private HttpResponse<Buffer> capturingStandardError(ByteArrayOutputStream captured, String path) throws Exception {
    PrintStream original = System.err;
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      return client.get(server.actualPort(), "127.0.0.1", path).send().await(10, SECONDS);
    } finally {
      System.setErr(original);
    }
  }
}
