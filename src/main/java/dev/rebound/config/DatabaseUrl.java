package dev.rebound.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Where a PostgreSQL database is and how to log in, parsed from a {@code postgresql://},
 * {@code postgres://} or {@code jdbc:postgresql://} URL. The password is a {@link Secret}, and
 * {@link #toString()} shows the URL without it, so this record can be logged.
 *
 * <p>Only the parameters Rebound passes on are accepted ({@code user}, {@code password},
 * {@code sslmode}); anything else is reported rather than silently ignored, because a dropped
 * TLS or timeout setting is exactly the kind of difference nobody notices until an incident.
 */
public record DatabaseUrl(
    String host, int port, String database, String user, Optional<Secret> password, Optional<String> sslMode) {

  public static final int DEFAULT_PORT = 5432;
  private static final Set<String> SSL_MODES = Set.of("disable", "allow", "prefer", "require");
  private static final Set<String> PARAMETERS = Set.of("user", "password", "sslmode");
  private static final Pattern USERINFO = Pattern.compile("//[^/?#]*@");
  private static final Pattern PASSWORD_PARAM = Pattern.compile("(?i)(password=)[^&]*");

  /**
   * Parses {@code text}; problems are added to {@code problems} as {@code "<label>: ..."} and an
   * empty result returned, so callers can collect every configuration problem in one pass.
   */
  public static Optional<DatabaseUrl> parse(String label, String text, List<String> problems) {
    String shown = "\"" + redact(text) + "\"";
    String expected = " (expected postgresql://user:password@host:port/database)";
    String rest = text.startsWith("jdbc:") ? text.substring("jdbc:".length()) : text;
    URI uri;
    try {
      uri = new URI(rest);
    } catch (URISyntaxException e) {
      problems.add(label + ": " + shown + " is not a PostgreSQL URL" + expected);
      return Optional.empty();
    }
    String scheme = uri.getScheme();
    if (scheme == null || !(scheme.equals("postgresql") || scheme.equals("postgres"))
        || uri.getRawAuthority() == null) {
      problems.add(label + ": " + shown + " is not a PostgreSQL URL" + expected);
      return Optional.empty();
    }
    int before = problems.size();
    Map<String, String> params = queryParameters(label, uri.getRawQuery(), problems);
    String host = uri.getHost();
    if (host == null) {
      // URI leaves host null for forms it cannot parse as server-based, e.g. "h1,h2" or "_x".
      problems.add(label + ": " + shown + " has no usable host name (one host only)" + expected);
    } else if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port = uri.getPort() == -1 ? DEFAULT_PORT : uri.getPort();
    String path = uri.getPath() == null ? "" : uri.getPath();
    String database = path.startsWith("/") ? path.substring(1) : path;
    if (database.isEmpty() || database.contains("/")) {
      problems.add(label + ": " + shown + " names no database" + expected);
    }
    String user = null;
    String password = null;
    String userInfo = uri.getUserInfo();
    if (userInfo != null) {
      int colon = userInfo.indexOf(':');
      user = colon < 0 ? userInfo : userInfo.substring(0, colon);
      password = colon < 0 ? null : userInfo.substring(colon + 1);
    }
    user = params.getOrDefault("user", user);
    password = params.getOrDefault("password", password);
    if (user == null || user.isEmpty()) {
      problems.add(label + ": " + shown + " names no user" + expected);
    }
    String sslMode = params.get("sslmode");
    if (sslMode != null && !SSL_MODES.contains(sslMode)) {
      problems.add(label + ": sslmode \"" + sslMode + "\" is not supported (use one of disable, allow, prefer, require)");
    }
    if (problems.size() > before) {
      return Optional.empty();
    }
    return Optional.of(new DatabaseUrl(
        host, port, database, user,
        Optional.ofNullable(password).filter(p -> !p.isEmpty()).map(Secret::of),
        Optional.ofNullable(sslMode)));
  }

  /** Parses or throws {@link ConfigException}; for callers holding a single URL. */
  public static DatabaseUrl parse(String label, String text) {
    List<String> problems = new ArrayList<>();
    Optional<DatabaseUrl> url = parse(label, text, problems);
    if (url.isEmpty()) {
      throw new ConfigException(problems);
    }
    return url.get();
  }

  /** The same server and credentials, another database (tests create one per class). */
  public DatabaseUrl withDatabase(String otherDatabase) {
    return new DatabaseUrl(host, port, otherDatabase, user, password, sslMode);
  }

  /** The same database on another port (tests point at a closed port to simulate an outage). */
  public DatabaseUrl withPort(int otherPort) {
    return new DatabaseUrl(host, otherPort, database, user, password, sslMode);
  }

  /** JDBC form for Flyway; credentials are passed separately and so are not in it. */
  public String jdbcUrl() {
    return "jdbc:postgresql://" + hostForUrl() + ":" + port + "/" + database
        + sslMode.map(m -> "?sslmode=" + m).orElse("");
  }

  @Override
  public String toString() {
    return "postgresql://" + user + (password.isPresent() ? ":***" : "") + "@" + hostForUrl() + ":" + port
        + "/" + database + sslMode.map(m -> "?sslmode=" + m).orElse("");
  }

  /** {@code text} with any password removed, safe for messages and logs. */
  public static String redact(String text) {
    String noUserInfo = USERINFO.matcher(text).replaceFirst("//***@");
    return PASSWORD_PARAM.matcher(noUserInfo).replaceAll("$1***");
  }

  private String hostForUrl() {
    return host.contains(":") ? "[" + host + "]" : host;
  }

  private static Map<String, String> queryParameters(String label, String rawQuery, List<String> problems) {
    Map<String, String> params = new LinkedHashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return params;
    }
    for (String pair : rawQuery.split("&")) {
      int eq = pair.indexOf('=');
      String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      if (!PARAMETERS.contains(name)) {
        problems.add(label + ": parameter \"" + name + "\" is not supported (supported: user, password, sslmode)");
      } else {
        params.put(name, value);
      }
    }
    return params;
  }
}
