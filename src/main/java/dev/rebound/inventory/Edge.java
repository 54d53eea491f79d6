package dev.rebound.inventory;

/** {@code downstream} needs or is computed from {@code upstream}. */
public record Edge(String downstream, String upstream, EdgeKind kind) {}
