package dev.rebound.engine.target;

import dev.rebound.digest.Sha256;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpResponse.BodySubscribers;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * Blocking HTTP calls to targets with one deadline over the whole exchange (connect, request,
 * response headers and the entire body), bounded bodies and no redirects (a redirected POST could
 * land on a host nobody approved). Thread-safe; one instance is shared by actions and checks.
 *
 * <p>The deadline is enforced in two parts, because {@link HttpRequest.Builder#timeout} alone
 * covers only the wait for the response headers, not a body that trickles in: the request's
 * timeout is what remains of the deadline when it is sent, and the body fails with a timeout
 * (its subscription cancelled) once the deadline passes. The calling thread waits in the
 * synchronous {@code send}: {@code sendAsync} hands every response over to the JDK's default
 * async pool, which on a machine with two cores starts a new thread per call (about 2 ms of a
 * 4 ms local call in {@code EngineOverheadBench}).
 */
public final class HttpTarget {
  public static final long DEFAULT_BODY_LIMIT = 1024 * 1024;
  private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE");
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

  private final HttpClient client;

  public HttpTarget() {
    this(HttpClient.newBuilder()
        .followRedirects(HttpClient.Redirect.NEVER)
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(CONNECT_TIMEOUT)
        .build());
  }

  public HttpTarget(HttpClient client) {
    this.client = client;
  }

  /**
   * A request builder for {@code method url} with {@code headers}, validated: only http(s) URLs
   * with a host, only the methods of the runbook format, no headers the JDK reserves for itself.
   *
   * @throws TargetCallException (permanent) when any of these is wrong
   */
  public static HttpRequest.Builder request(
      String method, String url, Map<String, String> headers, HttpRequest.BodyPublisher body) {
    String verb = method.toUpperCase(Locale.ROOT);
    if (!METHODS.contains(verb)) {
      throw TargetCallException.permanent("HTTP method '" + method + "' is not supported");
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw TargetCallException.permanent("'" + url + "' is not a valid URL: " + e.getReason());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
      throw TargetCallException.permanent("'" + url + "' is not an http(s) URL with a host");
    }
    HttpRequest.Builder builder = HttpRequest.newBuilder(uri).method(verb, body);
    headers.forEach((name, value) -> {
      try {
        builder.header(name, value);
      } catch (IllegalArgumentException e) {
        throw TargetCallException.permanent("header '" + name + "' cannot be set: " + e.getMessage());
      }
    });
    return builder;
  }

  /**
   * Sends {@code request} and reads at most {@code bodyLimit} bytes of the body; more is not read
   * and the reply says {@code truncated}.
   */
  public HttpReply exchange(HttpRequest request, Deadline deadline, long bodyLimit) {
    long start = System.nanoTime();
    HttpResponse<LimitedBody.Body> response =
        send(request, deadline, info -> new LimitedBody(bodyLimit));
    LimitedBody.Body body = response.body();
    return new HttpReply(response.statusCode(), response.headers(), body.bytes(), body.truncated(),
        Duration.ofNanos(System.nanoTime() - start));
  }

  /** The SHA-256 of a response body, streamed (never held in memory). */
  public record Digest(int status, String sha256, long size) {}

  /**
   * Streams the body of a GET through SHA-256. A non-2xx status yields a digest with a null hash
   * (the body is discarded); a body over {@code sizeLimit} bytes is a permanent failure.
   */
  public Digest sha256(HttpRequest request, Deadline deadline, long sizeLimit) {
    HttpResponse<Digest> response = send(request, deadline, info -> {
      int status = info.statusCode();
      if (status < 200 || status >= 300) {
        return BodySubscribers.replacing(new Digest(status, null, 0));
      }
      return new DigestBody(status, sizeLimit);
    });
    return response.body();
  }

  /** Sends with {@code handler}, waiting at most until {@code deadline}. */
  public <T> HttpResponse<T> send(HttpRequest request, Deadline deadline, HttpResponse.BodyHandler<T> handler) {
    String what = request.method() + " " + request.uri();
    HttpRequest timed = HttpRequest.newBuilder(request, (n, v) -> true).timeout(positive(deadline.remaining())).build();
    try {
      return client.send(timed, info -> new DeadlineBody<>(handler.apply(info), positive(deadline.remaining())));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw TargetCallException.outcomeUnknown(what + " was interrupted (Rebound is shutting down?)", e);
    } catch (IOException | RuntimeException e) {
      throw map(what, deadline, e);
    }
  }

  private static TargetCallException map(String what, Deadline deadline, Throwable cause) {
    if (cause instanceof TargetCallException t) {
      return t;
    }
    if (cause instanceof IOException && cause.getCause() instanceof TargetCallException t) {
      // A body subscriber's own failure, wrapped by send.
      return t;
    }
    if (cause instanceof HttpConnectTimeoutException) {
      return TargetCallException.transientNotApplied(what + ": could not connect within "
          + format(CONNECT_TIMEOUT.compareTo(deadline.total()) < 0 ? CONNECT_TIMEOUT : deadline.total()), cause);
    }
    if (cause instanceof HttpTimeoutException) {
      return TargetCallException.outcomeUnknown(what + " timed out after " + format(deadline.total()), cause);
    }
    if (cause instanceof ConnectException) {
      // Nothing was sent: the connection was never established.
      String reason = cause.getMessage() == null ? "connection refused" : cause.getMessage();
      return TargetCallException.transientNotApplied(what + ": cannot connect (" + reason + ")", cause);
    }
    if (cause instanceof SSLException) {
      return TargetCallException.permanent(what + ": TLS failed (" + cause.getMessage() + ")", cause);
    }
    if (cause instanceof IOException) {
      return TargetCallException.outcomeUnknown(what + ": connection failed (" + cause + ")", cause);
    }
    if (cause instanceof IllegalArgumentException) {
      return TargetCallException.permanent(what + ": " + cause.getMessage(), cause);
    }
    return TargetCallException.outcomeUnknown(what + ": " + cause, cause);
  }

  private static Duration positive(Duration d) {
    return d.isZero() ? Duration.ofMillis(1) : d;
  }

  static String format(Duration d) {
    long ms = d.toMillis();
    return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
  }

  /** Collects at most {@code limit} bytes, then cancels the rest of the body. */
  static final class LimitedBody implements BodySubscriber<LimitedBody.Body> {
    record Body(byte[] bytes, boolean truncated) {}

    private final long limit;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private final CompletableFuture<Body> result = new CompletableFuture<>();
    private Flow.Subscription subscription;

    LimitedBody(long limit) {
      this.limit = limit;
    }

    @Override
    public CompletionStage<Body> getBody() {
      return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      s.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
      for (ByteBuffer item : items) {
        long room = limit - buffer.size();
        int n = item.remaining();
        if (n > room) {
          byte[] part = new byte[(int) room];
          item.get(part);
          buffer.writeBytes(part);
          subscription.cancel();
          result.complete(new Body(buffer.toByteArray(), true));
          return;
        }
        byte[] bytes = new byte[n];
        item.get(bytes);
        buffer.writeBytes(bytes);
      }
      subscription.request(1);
    }

    @Override
    public void onError(Throwable t) {
      result.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
      result.complete(new Body(buffer.toByteArray(), false));
    }
  }

  /** Hashes the body as it arrives; fails once it exceeds {@code limit} bytes. */
  static final class DigestBody implements BodySubscriber<Digest> {
    private final int status;
    private final long limit;
    private final MessageDigest digest;
    private final CompletableFuture<Digest> result = new CompletableFuture<>();
    private Flow.Subscription subscription;
    private long size;

    DigestBody(int status, long limit) {
      this.status = status;
      this.limit = limit;
      this.digest = Sha256.newDigest();
    }

    @Override
    public CompletionStage<Digest> getBody() {
      return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      s.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
      for (ByteBuffer item : items) {
        size += item.remaining();
        if (size > limit) {
          subscription.cancel();
          result.completeExceptionally(
              TargetCallException.permanent("body is larger than the limit of " + limit + " bytes"));
          return;
        }
        digest.update(item);
      }
      subscription.request(1);
    }

    @Override
    public void onError(Throwable t) {
      result.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
      result.complete(new Digest(status, HexFormat.of().formatHex(digest.digest()), size));
    }
  }
}
