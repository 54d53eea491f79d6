package dev.rebound.runbook;

/**
 * One template reference found in a string: {@code {{params.NAME}}}, {@code {{env.NAME}}} or
 * {@code {{steps.STEP.output.FIELD}}}. {@code name} is the param, env variable or step id;
 * {@code field} is set for step outputs only. {@code text} is the reference as written.
 */
public record TemplateRef(Kind kind, String name, String field, String text) {
  public enum Kind {
    PARAM,
    ENV,
    STEP_OUTPUT
  }

  /** The reference in its normal spelling, without the author's inner whitespace. */
  public String canonical() {
    switch (kind) {
      case PARAM:
        return "{{params." + name + "}}";
      case ENV:
        return "{{env." + name + "}}";
      default:
        return "{{steps." + name + ".output." + field + "}}";
    }
  }
}
