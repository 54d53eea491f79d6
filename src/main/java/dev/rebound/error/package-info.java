/**
 * The one family of unchecked exceptions every Rebound package throws for expected failures:
 * {@link dev.rebound.error.ReboundException} and subclasses that say what went wrong
 * ({@link dev.rebound.error.NotFoundException}, {@link dev.rebound.error.ValidationException},
 * {@link dev.rebound.error.ConflictException}, {@link dev.rebound.error.ForbiddenException},
 * {@link dev.rebound.error.UnauthenticatedException}, {@link dev.rebound.error.UnavailableException},
 * {@link dev.rebound.error.TooManyRequestsException}). Each carries a stable machine-readable
 * {@link dev.rebound.error.ReboundException#code() code}; the HTTP edge maps the type to a status
 * and renders {@code {"error": {"code", "message"}}}, the CLI prints the message.
 *
 * <p>Also {@link dev.rebound.error.FailureStreak}: how a loop reports a failure it meets on every
 * tick (once when it starts, once a minute, once when it ends), shared by the engine and the audit.
 *
 * <p>Domain packages throw these without knowing about HTTP: nothing here names a status code.
 * This package imports only the JDK and must never import any other package of Rebound.
 * Messages are short, one line, and never contain a secret.
 */
package dev.rebound.error;
