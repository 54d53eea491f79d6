package dev.rebound.config;

/**
 * Where the HTTP server listens and how large a request body may be. Port 0 means "any free
 * port" (tests use it; the server reports the port it got).
 */
public record HttpSettings(String host, int port, long bodyLimitBytes) {
  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 8080;
  public static final long DEFAULT_BODY_LIMIT = 1024 * 1024;
}
