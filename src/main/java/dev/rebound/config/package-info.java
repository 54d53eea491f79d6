/**
 * Rebound's configuration: one immutable {@link dev.rebound.config.ReboundConfig}, loaded once at
 * start-up from the environment plus the non-secret file {@code rebound.yaml}, validated as a
 * whole (every bad value named in one {@link dev.rebound.config.ConfigException}), then passed
 * to whoever needs it. Tests build their own with
 * {@link dev.rebound.config.ReboundConfig#from(java.util.Map, java.nio.file.Path)}; nothing here
 * reads global state except {@link dev.rebound.config.ReboundConfig#fromEnvironment()}.
 *
 * <p>Secrets (tokens, passwords, API keys) come only from environment variables and are held as
 * {@link dev.rebound.config.Secret}, whose {@code toString} never shows the value. The file may
 * not name them.
 *
 * <p>Imports the JDK, Jackson, {@code dev.rebound.yaml} and {@code dev.rebound.error} only; must
 * never import Vert.x, {@code dev.rebound.db}, {@code dev.rebound.http} or any domain package.
 */
package dev.rebound.config;
