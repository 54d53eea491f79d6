package dev.rebound.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Typed reads of environment variables that record a problem instead of throwing, so one start-up
 * reports every bad value at once. A variable set to blank counts as unset (the usual
 * {@code FOO=} in a compose file means "no value", not "the empty string").
 */
final class EnvReader {
  private static final Pattern RUNBOOK_ID = Pattern.compile("[a-z0-9][a-z0-9-]*"); // docs/runbook-format.md
  private static final int MIN_TOKEN_LENGTH = 16;

  private final Map<String, String> env;
  private final List<String> problems;

  EnvReader(Map<String, String> env, List<String> problems) {
    this.env = env;
    this.problems = problems;
  }

  Optional<String> text(String name) {
    return Optional.ofNullable(env.get(name)).map(String::trim).filter(v -> !v.isEmpty());
  }

  /** A file system path as given (relative ones are resolved where they are used). */
  Optional<Path> path(String name) {
    Optional<String> value = text(name);
    try {
      return value.map(Path::of);
    } catch (InvalidPathException e) {
      problems.add(name + ": not a valid path: \"" + value.get() + "\"");
      return Optional.empty();
    }
  }

  /** Secrets are not trimmed: a trailing space may be part of a token, if an unwise one. */
  Optional<Secret> secret(String name) {
    return Optional.ofNullable(env.get(name)).filter(v -> !v.isBlank()).map(Secret::of);
  }

  /** A bearer token Rebound itself accepts: too short a one is guessable, so it is refused. */
  Optional<Secret> token(String name) {
    Optional<Secret> token = secret(name);
    if (token.isPresent() && token.get().reveal().length() < MIN_TOKEN_LENGTH) {
      problems.add(name + ": too short (" + token.get().reveal().length()
          + " characters); use at least " + MIN_TOKEN_LENGTH + " random characters");
      return Optional.empty();
    }
    return token;
  }

  int port(String name, int defaultValue) {
    Optional<String> value = text(name);
    if (value.isEmpty()) {
      return defaultValue;
    }
    try {
      int port = Integer.parseInt(value.get());
      if (port >= 0 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    problems.add(name + ": \"" + value.get() + "\" is not a port number (0-65535)");
    return defaultValue;
  }

  long positiveBytes(String name, long defaultValue) {
    return positive(name, defaultValue, Long::parseLong, "number of bytes");
  }

  int positiveCount(String name, int defaultValue) {
    return positive(name, defaultValue, Integer::parseInt, "whole number");
  }

  private <N extends Number> N positive(String name, N defaultValue, Function<String, N> parse, String what) {
    Optional<String> value = text(name);
    if (value.isEmpty()) {
      return defaultValue;
    }
    try {
      N number = parse.apply(value.get());
      if (number.longValue() > 0) {
        return number;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    problems.add(name + ": \"" + value.get() + "\" is not a positive " + what);
    return defaultValue;
  }

  String host(String name, String defaultValue) {
    Optional<String> value = text(name);
    if (value.isPresent() && value.get().chars().anyMatch(c -> Character.isWhitespace(c) || c == '/')) {
      problems.add(name + ": \"" + value.get() + "\" is not a host name or address");
      return defaultValue;
    }
    return value.orElse(defaultValue);
  }

  Optional<String> httpUrl(String name) {
    Optional<String> value = text(name);
    if (value.isEmpty()) {
      return value;
    }
    try {
      URI uri = new URI(value.get());
      if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
        return value;
      }
    } catch (URISyntaxException ignored) {
      // reported below
    }
    problems.add(name + ": \"" + value.get() + "\" is not an http(s) URL");
    return Optional.empty();
  }

  Set<String> runbookIds(String name) {
    Optional<String> value = text(name);
    if (value.isEmpty()) {
      return Set.of();
    }
    Set<String> ids = new LinkedHashSet<>();
    Arrays.stream(value.get().split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(id -> {
      if (RUNBOOK_ID.matcher(id).matches()) {
        ids.add(id);
      } else {
        problems.add(name + ": \"" + id + "\" is not a runbook id (lower-case letters, digits and '-')");
      }
    });
    return Collections.unmodifiableSet(ids);
  }

  /** The environment variable names, for the template variables that read from it. */
  Map<String, String> all() {
    return env;
  }
}
