package dev.rebound.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * The web console: static files from the classpath ({@code console/}), {@code index.html} at
 * {@code /} and everything else under {@code /console/}. No authentication here: the files hold
 * no data; every datum comes from {@code /api} with the token the person signed in with.
 *
 * <p>Only GET routes with their own prefix, so the API's 404 and 405 answers are untouched (see
 * {@link RouterAssembly}). A tight Content-Security-Policy (scripts, styles and connections to
 * this origin only) means text from runbooks, incidents or chat cannot run as script even if a
 * rendering bug let markup through. Files are cached briefly and revalidated by Last-Modified,
 * since their names carry no version.
 */
final class ConsoleRoutes {
  static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self';"
      + " img-src 'self' data:; font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
  private static final long MAX_AGE_SECONDS = 60;

  private ConsoleRoutes() {}

  static void mount(Router router) {
    StaticHandler files = StaticHandler.create("console")
        .setCachingEnabled(true)
        .setMaxAgeSeconds(MAX_AGE_SECONDS)
        .setDirectoryListing(false)
        .setIndexPage("index.html");
    Handler<RoutingContext> headers = ctx -> {
      ctx.response()
          .putHeader("Content-Security-Policy", CSP)
          .putHeader("X-Content-Type-Options", "nosniff")
          .putHeader("Referrer-Policy", "no-referrer");
      ctx.next();
    };
    router.get("/").handler(headers).handler(files);
    router.get("/console/*").handler(headers).handler(files);
  }
}
