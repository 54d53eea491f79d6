package dev.rebound.slack;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Slack's request signature, checked by us rather than by the SDK's verifier (which accepted a
 * timestamp an hour in the future and compared strings with {@code equals}): HMAC-SHA256 with
 * the signing secret over {@code "v0:" + timestamp + ":"} followed by the <em>raw</em> body bytes
 * (a re-encoded body would not match), compared in constant time, and the timestamp within
 * {@link #WINDOW} of now in either direction, so a captured request cannot be replayed later.
 * Pure and thread-safe.
 */
final class RequestSignature {
  static final Duration WINDOW = Duration.ofMinutes(5);
  static final String TIMESTAMP_HEADER = "X-Slack-Request-Timestamp";
  static final String SIGNATURE_HEADER = "X-Slack-Signature";

  /** Why a request is refused, or {@link #VALID}; each says so in words for the 401 and the audit log. */
  enum Verdict {
    VALID("valid"),
    MISSING("the request has no X-Slack-Signature or X-Slack-Request-Timestamp header"),
    BAD_TIMESTAMP("X-Slack-Request-Timestamp is not a number of seconds"),
    STALE("the request timestamp is more than 5 minutes old"),
    FUTURE("the request timestamp is more than 5 minutes in the future"),
    MISMATCH("the signature does not match the body (wrong signing secret or altered request)");

    final String reason;

    Verdict(String reason) {
      this.reason = reason;
    }
  }

  private final byte[] secret;

  RequestSignature(String signingSecret) {
    this.secret = signingSecret.getBytes(StandardCharsets.UTF_8);
  }

  Verdict verify(String timestamp, String signature, byte[] body, Instant now) {
    if (timestamp == null || signature == null || timestamp.isBlank() || signature.isBlank()) {
      return Verdict.MISSING;
    }
    long seconds;
    try {
      seconds = Long.parseLong(timestamp.strip());
    } catch (NumberFormatException e) {
      return Verdict.BAD_TIMESTAMP;
    }
    long skew = now.getEpochSecond() - seconds;
    if (skew > WINDOW.toSeconds()) {
      return Verdict.STALE;
    }
    if (-skew > WINDOW.toSeconds()) {
      return Verdict.FUTURE;
    }
    byte[] expected = sign(timestamp.strip(), body).getBytes(StandardCharsets.US_ASCII);
    byte[] given = signature.strip().getBytes(StandardCharsets.US_ASCII);
    return MessageDigest.isEqual(expected, given) ? Verdict.VALID : Verdict.MISMATCH;
  }

  /** {@code v0=<hex>} for the timestamp and body, as Slack computes it. */
  String sign(String timestamp, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      mac.update(("v0:" + timestamp + ":").getBytes(StandardCharsets.UTF_8));
      return "v0=" + HexFormat.of().formatHex(mac.doFinal(body));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is unavailable", e);
    }
  }
}
