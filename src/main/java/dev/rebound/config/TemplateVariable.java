package dev.rebound.config;

import java.util.Optional;

/**
 * A variable runbooks may reference as {@code {{env.NAME}}}, declared under {@code template_env}
 * in {@code rebound.yaml}. Only declared variables reach runbooks: the process environment as a
 * whole is never exposed to them.
 */
public record TemplateVariable(String name, Optional<String> defaultValue, boolean secret) {}
