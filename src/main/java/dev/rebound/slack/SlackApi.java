package dev.rebound.slack;

import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.SlackApiTextResponse;
import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.view.View;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Slack's Web API as Rebound uses it: post, update, ephemeral, open a modal. The SDK's client blocks, so every
 * call runs on a worker pool of its own ({@value #POOL_NAME}): a slow or unreachable Slack can
 * fill that pool but never the one the engine and the database work use.
 *
 * <p>Never fails: a rate limit (HTTP 429) is retried after the Retry-After Slack asks for (at
 * most {@value #ATTEMPTS} attempts, each wait capped at {@link #MAX_WAIT}); any other error
 * ({@code invalid_auth}, {@code channel_not_found}, network) is logged with the method and the
 * channel and ends in an empty result. Callers treat Slack as best effort.
 */
final class SlackApi {
  private static final Logger LOG = LoggerFactory.getLogger(SlackApi.class);
  static final String POOL_NAME = "rebound-slack";
  static final int ATTEMPTS = 3;
  static final Duration MAX_WAIT = Duration.ofSeconds(30);

  private final Slack slack;
  private final MethodsClient methods;
  private final WorkerExecutor workers;

  SlackApi(Vertx vertx, String botToken, String apiBaseUrl) {
    SlackConfig config = new SlackConfig();
    // Without this the client calls auth.test by itself, behind our back and outside any test fake.
    config.setStatsEnabled(false);
    config.setMethodsEndpointUrlPrefix(apiBaseUrl + "/api/");
    config.setHttpClientCallTimeoutMillis(10_000);
    this.slack = Slack.getInstance(config);
    this.methods = slack.methods(botToken);
    this.workers = vertx.createSharedWorkerExecutor(POOL_NAME, 4, Duration.ofSeconds(60).toNanos());
  }

  /** Posts a message (in {@code threadTs}'s thread when given); its ts, or empty when Slack refused. */
  Future<Optional<String>> post(String channel, Optional<String> threadTs, String text, List<LayoutBlock> blocks) {
    return call("chat.postMessage", channel, () -> methods.chatPostMessage(r -> r.channel(channel)
        .threadTs(threadTs.orElse(null)).text(text).blocks(blocks.isEmpty() ? null : blocks).unfurlLinks(false)))
        .map(response -> response.map(r -> r.getTs()));
  }

  Future<Boolean> update(String channel, String ts, String text, List<LayoutBlock> blocks) {
    return call("chat.update", channel, () -> methods.chatUpdate(r -> r.channel(channel).ts(ts).text(text)
        .blocks(blocks.isEmpty() ? null : blocks)))
        .map(Optional::isPresent);
  }

  /** A message only {@code user} sees; for refusals and explanations. */
  Future<Boolean> ephemeral(String channel, String user, Optional<String> threadTs, String text) {
    return call("chat.postEphemeral", channel, () -> methods.chatPostEphemeral(r -> r.channel(channel).user(user)
        .threadTs(threadTs.orElse(null)).text(text)))
        .map(Optional::isPresent);
  }

  /** Opens a modal for the press or command that gave {@code triggerId} (valid for 3 s after it). */
  Future<Boolean> openView(String triggerId, View view) {
    return call("views.open", "modal " + view.getCallbackId(), () -> methods.viewsOpen(r -> r.triggerId(triggerId)
        .view(view))).map(Optional::isPresent);
  }

  Future<Void> close() {
    return workers.close().andThen(done -> {
      try {
        slack.close();
      } catch (Exception e) {
        LOG.debug("closing the Slack client: {}", e.toString());
      }
    });
  }

  private <T extends SlackApiTextResponse> Future<Optional<T>> call(String method, String channel, Callable<T> request) {
    return workers.executeBlocking(() -> attempt(method, channel, request), false);
  }

  private <T extends SlackApiTextResponse> Optional<T> attempt(String method, String channel, Callable<T> request)
      throws InterruptedException {
    for (int attempt = 1; ; attempt++) {
      try {
        T response = request.call();
        if (response.isOk()) {
          return Optional.of(response);
        }
        LOG.warn("Slack {} to {} refused: {}{}", method, channel, response.getError(), hint(response.getError()));
        return Optional.empty();
      } catch (SlackApiException e) {
        if (e.getResponse().code() == 429 && attempt < ATTEMPTS) {
          Duration wait = retryAfter(e.getResponse().header("Retry-After"));
          LOG.info("Slack {} rate limited; retrying in {} s (attempt {} of {})", method, wait.toSeconds(), attempt + 1,
              ATTEMPTS);
          Thread.sleep(wait.toMillis());
          continue;
        }
        LOG.warn("Slack {} to {} failed: HTTP {} {}", method, channel, e.getResponse().code(),
            e.getError() == null ? "" : e.getError().getError());
        return Optional.empty();
      } catch (IOException e) {
        LOG.warn("Slack {} to {} failed: {}", method, channel, e.toString());
        return Optional.empty();
      } catch (InterruptedException e) {
        throw e;
      } catch (Exception e) {
        LOG.warn("Slack {} to {} failed unexpectedly: {}", method, channel, e.toString());
        return Optional.empty();
      }
    }
  }

  static Duration retryAfter(String header) {
    long seconds = 1;
    if (header != null) {
      try {
        seconds = Math.max(0, Long.parseLong(header.strip()));
      } catch (NumberFormatException e) {
        seconds = 1;
      }
    }
    return Duration.ofSeconds(Math.min(seconds, MAX_WAIT.toSeconds()));
  }

  private static String hint(String error) {
    return switch (error == null ? "" : error) {
      case "invalid_auth", "not_authed", "token_revoked", "account_inactive" ->
          " (check SLACK_BOT_TOKEN: the bot token of the installed app, xoxb-...)";
      case "channel_not_found", "not_in_channel" ->
          " (check slack.channel in rebound.yaml and invite the app to that channel)";
      default -> "";
    };
  }
}
