package dev.rebound.runbook;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One JSON Schema error, detached from the validator library: where in the instance
 * ({@code pointer}), which keyword failed, the keyword's value in the schema, the property it
 * is about (for {@code required}, {@code additionalProperties}, {@code propertyNames}), where
 * in the schema ({@code schemaPointer}, a fragment) and the library's own wording as a fallback.
 */
record SchemaViolation(
    String pointer, String keyword, JsonNode schemaValue, String property, String schemaPointer, String fallback) {}
