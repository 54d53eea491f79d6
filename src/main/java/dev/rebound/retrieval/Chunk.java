package dev.rebound.retrieval;

/**
 * A piece of a document that gets one embedding. {@code body} is what is stored and shown;
 * {@code embedText} is what is embedded: the body prefixed with the document title and the
 * section heading (a chunk reading "Restart the consumer" means little without them), with
 * fenced code left out (shell output tables embed as noise).
 */
public record Chunk(int ord, String heading, String body, String embedText) {}
