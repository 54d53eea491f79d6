package dev.rebound.inventory;

/** A string read from YAML with the JSON Pointer it was read from, so later checks can point at it. */
record Located(String value, String pointer) {}
