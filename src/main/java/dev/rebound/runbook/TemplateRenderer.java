package dev.rebound.runbook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Renders the templates in every string value of a JSON tree (keys are never templated).
 *
 * <p>A string that is exactly one template takes the referenced value with its type, so
 * {@code args: ["{{params.limit}}"]} binds an integer; a template inside longer text is
 * replaced by the value's text (JSON text for non-strings). A reference that cannot be resolved
 * is an error naming it and where it is; nothing is ever left half-rendered.
 *
 * <p>The {@code url} of an action or check is where a value could do more than fill a blank:
 * {@code ../}, {@code ?}, {@code #}, {@code @} or a host suffix in a parameter would send an
 * approved request somewhere else. So a parameter or step output (data, unlike the runbook's
 * text and the operator's env) may stand in a URL only after the host, and only as one path
 * segment or query value: letters, digits and {@code - . _ ~}, never {@code .} or {@code ..}.
 *
 * <p>Three modes: {@link Mode#EXECUTE} gives real values (for executors only);
 * {@link Mode#DISPLAY} masks secret env values as {@value #MASK} (for audit, chat, Slack);
 * {@link Mode#PLAN} also shows step outputs, unknown before a run, as placeholders.
 */
public final class TemplateRenderer {
  public static final String MASK = "***";
  private static final Pattern URL_VALUE = Pattern.compile("[A-Za-z0-9._~-]+");

  public enum Mode {
    EXECUTE,
    DISPLAY,
    PLAN
  }

  private final TemplateContext context;

  public TemplateRenderer(TemplateContext context) {
    this.context = context;
  }

  /** Real values, secrets included: hand the result only to an executor. */
  public JsonNode render(JsonNode tree) {
    return render(tree, Mode.EXECUTE, "");
  }

  /** Secret env values masked; for anything a person or a log will see. */
  public JsonNode renderMasked(JsonNode tree) {
    return render(tree, Mode.DISPLAY, "");
  }

  /** Masked, with {@code <output of step X: F>} for step outputs; for dry-run plans. */
  public JsonNode renderForPlan(JsonNode tree) {
    return render(tree, Mode.PLAN, "");
  }

  /**
   * @param basePointer where {@code tree} sits in the runbook, used in error messages only
   * @throws UnresolvedTemplateException naming the first reference that cannot be resolved
   */
  public JsonNode render(JsonNode tree, Mode mode, String basePointer) {
    return render(tree, mode, basePointer, true);
  }

  /** {@code top}: {@code tree} is the action or check itself, whose {@code url} field is a URL. */
  private JsonNode render(JsonNode tree, Mode mode, String basePointer, boolean top) {
    if (tree.isTextual()) {
      return renderString(tree.asText(), mode, basePointer, false);
    }
    if (tree.isArray()) {
      ArrayNode out = Json.NODES.arrayNode();
      for (int i = 0; i < tree.size(); i++) {
        out.add(render(tree.get(i), mode, Json.child(basePointer, i), false));
      }
      return out;
    }
    if (tree.isObject()) {
      ObjectNode out = Json.NODES.objectNode();
      for (Map.Entry<String, JsonNode> e : tree.properties()) {
        String pointer = Json.child(basePointer, e.getKey());
        boolean url = top && e.getKey().equals("url") && e.getValue().isTextual();
        out.set(e.getKey(), url ? renderString(e.getValue().asText(), mode, pointer, true)
            : render(e.getValue(), mode, pointer, false));
      }
      return out;
    }
    return tree.deepCopy();
  }

  /** Renders one string; the result keeps the value's type when the string is one template. */
  public JsonNode renderString(String text, Mode mode, String pointer) {
    return renderString(text, mode, pointer, false);
  }

  private JsonNode renderString(String text, Mode mode, String pointer, boolean url) {
    List<Templates.Part> parts = Templates.parse(text);
    for (Templates.Part part : parts) {
      if (part.invalid() != null) {
        throw new UnresolvedTemplateException(
            part.invalid(), fail(part.invalid(), pointer, "not a template reference (use {{params.NAME}}, {{env.NAME}} or {{steps.STEP.output.FIELD}})"));
      }
    }
    if (parts.size() == 1 && parts.get(0).isRef() && !url) {
      return resolve(parts.get(0).ref(), mode, pointer).deepCopy();
    }
    StringBuilder out = new StringBuilder();
    for (Templates.Part part : parts) {
      if (part.isRef()) {
        JsonNode value = resolve(part.ref(), mode, pointer);
        String valueText = value.isTextual() ? value.asText() : Json.compact(value);
        if (url && isData(part.ref(), mode)) {
          checkUrlValue(part.ref(), valueText, out, pointer);
        }
        out.append(valueText);
      } else {
        out.append(part.literal());
      }
    }
    return Json.NODES.textNode(out.toString());
  }

  private JsonNode resolve(TemplateRef ref, Mode mode, String pointer) {
    switch (ref.kind()) {
      case PARAM:
        JsonNode param = context.params().get(ref.name());
        if (param == null) {
          throw new UnresolvedTemplateException(ref.text(), fail(ref.text(), pointer, "no parameter '" + ref.name() + "'"));
        }
        return param;
      case ENV:
        String value = context.env().get(ref.name());
        if (value == null) {
          throw new UnresolvedTemplateException(
              ref.text(),
              fail(ref.text(), pointer, "env variable '" + ref.name() + "' is not available (not under template_env, or unset)"));
        }
        boolean masked = mode != Mode.EXECUTE && context.secretEnv().contains(ref.name());
        return Json.NODES.textNode(masked ? MASK : value);
      default:
        if (mode == Mode.PLAN) {
          return Json.NODES.textNode("<output of step " + ref.name() + ": " + ref.field() + ">");
        }
        JsonNode output = context.stepOutputs().get(ref.name());
        if (output == null) {
          throw new UnresolvedTemplateException(ref.text(), fail(ref.text(), pointer, "step '" + ref.name() + "' has no output yet"));
        }
        JsonNode field = output.get(ref.field());
        if (field == null) {
          throw new UnresolvedTemplateException(
              ref.text(), fail(ref.text(), pointer, "the output of step '" + ref.name() + "' has no field '" + ref.field() + "'"));
        }
        return field;
    }
  }

  /** Parameters and step outputs come from callers and target systems; placeholders in a plan do not. */
  private static boolean isData(TemplateRef ref, Mode mode) {
    return ref.kind() == TemplateRef.Kind.PARAM || (ref.kind() == TemplateRef.Kind.STEP_OUTPUT && mode != Mode.PLAN);
  }

  /** Refuses a value that could choose the URL's host or reach another path than the runbook's. */
  private static void checkUrlValue(TemplateRef ref, String value, CharSequence before, String pointer) {
    String rendered = before.toString();
    int scheme = rendered.indexOf("://");
    if (scheme < 0 || rendered.indexOf('/', scheme + 3) < 0) {
      throw new UnresolvedTemplateException(ref.text(), fail(ref.text(), pointer, "a value from "
          + (ref.kind() == TemplateRef.Kind.PARAM ? "a parameter" : "a step output") + " cannot choose the URL's"
          + " scheme, host or port: put it after the host, e.g. {{env.BASE_URL}}/items/" + ref.text()));
    }
    if (!URL_VALUE.matcher(value).matches() || value.equals(".") || value.equals("..")) {
      String shown = value.length() > 80 ? value.substring(0, 80) + "…" : value;
      throw new UnresolvedTemplateException(ref.text(), fail(ref.text(), pointer, "its value '" + shown + "' is not one"
          + " URL path segment or query value (only letters, digits and - . _ ~, not . or ..), so it could send the"
          + " request somewhere the runbook does not say"));
    }
  }

  private static String fail(String template, String pointer, String reason) {
    String where = pointer.isEmpty() ? "" : " at " + Json.displayPath(pointer);
    return "cannot render " + template + where + ": " + reason;
  }
}
