package dev.rebound.slack;

import static org.assertj.core.api.Assertions.assertThat;

import com.slack.api.app_backend.SlackSignature;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Our check against signatures made by the Slack SDK's own generator, and its edges. */
class RequestSignatureTest {
  private static final String SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
  private static final String BODY = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&command=%2Frebound"
      + "&text=features+stale+%C3%A9t%C3%A9&trigger_id=13345224609.738474920.8088930838d88f008e0";
  private final RequestSignature check = new RequestSignature(SECRET);
  private final Instant now = Instant.ofEpochSecond(1_764_000_000L);

  private String slackSigns(long ts, String body) {
    return new SlackSignature.Generator(SECRET).generate(String.valueOf(ts), body);
  }

  private RequestSignature.Verdict verify(long ts, String signature, String body) {
    return check.verify(String.valueOf(ts), signature, body.getBytes(StandardCharsets.UTF_8), now);
  }

  @Test
  void accepts_what_slack_signs_and_computes_the_same_signature() {
    long ts = now.getEpochSecond();
    assertThat(verify(ts, slackSigns(ts, BODY), BODY)).isEqualTo(RequestSignature.Verdict.VALID);
    assertThat(check.sign(String.valueOf(ts), BODY.getBytes(StandardCharsets.UTF_8))).isEqualTo(slackSigns(ts, BODY));
  }

  @Test
  void refuses_a_changed_body_another_secret_and_a_changed_timestamp() {
    long ts = now.getEpochSecond();
    assertThat(verify(ts, slackSigns(ts, BODY), BODY.replace("stale", "fresh")))
        .isEqualTo(RequestSignature.Verdict.MISMATCH);
    String other = new SlackSignature.Generator("another-secret").generate(String.valueOf(ts), BODY);
    assertThat(verify(ts, other, BODY)).isEqualTo(RequestSignature.Verdict.MISMATCH);
    assertThat(verify(ts - 1, slackSigns(ts, BODY), BODY)).isEqualTo(RequestSignature.Verdict.MISMATCH);
    assertThat(verify(ts, slackSigns(ts, BODY).toUpperCase(), BODY)).isEqualTo(RequestSignature.Verdict.MISMATCH);
    assertThat(verify(ts, "v0=", BODY)).isEqualTo(RequestSignature.Verdict.MISMATCH);
  }

  @Test
  void the_window_is_five_minutes_in_both_directions() {
    long ts = now.getEpochSecond();
    assertThat(verify(ts - 300, slackSigns(ts - 300, BODY), BODY)).isEqualTo(RequestSignature.Verdict.VALID);
    assertThat(verify(ts + 300, slackSigns(ts + 300, BODY), BODY)).isEqualTo(RequestSignature.Verdict.VALID);
    assertThat(verify(ts - 301, slackSigns(ts - 301, BODY), BODY)).isEqualTo(RequestSignature.Verdict.STALE);
    assertThat(verify(ts + 301, slackSigns(ts + 301, BODY), BODY)).isEqualTo(RequestSignature.Verdict.FUTURE);
    // The SDK's own verifier accepted an hour ahead; this one does not.
    assertThat(verify(ts + 3600, slackSigns(ts + 3600, BODY), BODY)).isEqualTo(RequestSignature.Verdict.FUTURE);
  }

  @Test
  void missing_or_malformed_headers_are_refused_before_any_hashing() {
    byte[] body = BODY.getBytes(StandardCharsets.UTF_8);
    assertThat(check.verify(null, "v0=abc", body, now)).isEqualTo(RequestSignature.Verdict.MISSING);
    assertThat(check.verify("1764000000", null, body, now)).isEqualTo(RequestSignature.Verdict.MISSING);
    assertThat(check.verify(" ", "v0=abc", body, now)).isEqualTo(RequestSignature.Verdict.MISSING);
    assertThat(check.verify("17640e5", "v0=abc", body, now)).isEqualTo(RequestSignature.Verdict.BAD_TIMESTAMP);
    assertThat(check.verify("99999999999999999999", "v0=abc", body, now))
        .isEqualTo(RequestSignature.Verdict.BAD_TIMESTAMP);
  }

  @Test
  void the_raw_bytes_count_not_a_re_encoding_of_them() {
    long ts = now.getEpochSecond();
    String sig = slackSigns(ts, BODY);
    // The same form, decoded and re-encoded differently (space as %20 instead of +), is another body.
    assertThat(verify(ts, sig, BODY.replace("+", "%20"))).isEqualTo(RequestSignature.Verdict.MISMATCH);
  }
}
