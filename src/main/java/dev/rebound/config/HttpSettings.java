package dev.rebound.config;

/**
 * Where the HTTP server listens, how large a request body may be, and how many event streams
 * (server-sent events) one caller may hold open at once: each costs the server a subscription and
 * a database poll a second for as long as it stays open. Port 0 means "any free port" (tests use
 * it; the server reports the port it got).
 */
public record HttpSettings(String host, int port, long bodyLimitBytes, int streamsPerCaller) {
  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 8080;
  public static final long DEFAULT_BODY_LIMIT = 1024 * 1024;
  /** A few console tabs and a script or two per person. */
  public static final int DEFAULT_STREAMS_PER_CALLER = 8;
}
