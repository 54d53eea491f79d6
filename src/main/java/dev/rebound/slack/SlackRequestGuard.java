package dev.rebound.slack;

import dev.rebound.audit.ActorType;
import dev.rebound.audit.AuditEvent;
import dev.rebound.audit.AuditLog;
import dev.rebound.digest.Sha256;
import dev.rebound.error.UnauthenticatedException;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * First handler of every {@code /slack/*} route, after the body handler (the signature covers
 * the raw bytes, read here before anything parses them). A request whose signature is missing,
 * wrong, or whose timestamp is more than five minutes off either way, and a second delivery of
 * a request with the same signature (a replay inside the window), gets 401 and an audit entry
 * ({@code slack.request_refused}) naming the reason; nothing else runs.
 */
final class SlackRequestGuard implements Handler<RoutingContext> {
  private static final Logger LOG = LoggerFactory.getLogger(SlackRequestGuard.class);
  static final String ACTOR = "slack";

  private final RequestSignature signature;
  private final SeenRequests seen;
  private final AuditLog audit;
  private final Clock clock;

  SlackRequestGuard(RequestSignature signature, SeenRequests seen, AuditLog audit, Clock clock) {
    this.signature = signature;
    this.seen = seen;
    this.audit = audit;
    this.clock = clock;
  }

  @Override
  public void handle(RoutingContext ctx) {
    byte[] body = ctx.body() == null || ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
    String sig = ctx.request().getHeader(RequestSignature.SIGNATURE_HEADER);
    RequestSignature.Verdict verdict =
        signature.verify(ctx.request().getHeader(RequestSignature.TIMESTAMP_HEADER), sig, body, clock.instant());
    if (verdict != RequestSignature.Verdict.VALID) {
      refuse(ctx, verdict.reason);
      return;
    }
    // The signature covers timestamp and body: the same signature twice is the same request again.
    seen.firstTime("signature:" + Sha256.hex(sig)).onComplete(first -> {
      if (first.failed()) {
        ctx.fail(first.cause());
      } else if (!first.result()) {
        refuse(ctx, "replayed: a request with this exact signature was already received");
      } else {
        ctx.next();
      }
    });
  }

  private void refuse(RoutingContext ctx, String reason) {
    String path = ctx.request().path();
    LOG.warn("Slack request to {} from {} refused: {}", path, ctx.request().remoteAddress(), reason);
    AuditEvent event = AuditEvent.of(ActorType.SYSTEM, ACTOR, "slack.request_refused", "slack_request", path)
        .withDetails(Map.of("reason", reason, "remote", String.valueOf(ctx.request().remoteAddress())));
    audit.append(event).onComplete(done -> {
      if (done.failed()) {
        LOG.error("refused Slack request not audited: {}", done.cause().toString());
      }
      ctx.fail(new UnauthenticatedException("Slack request refused: " + reason));
    });
  }
}
