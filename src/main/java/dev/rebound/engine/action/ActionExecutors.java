package dev.rebound.engine.action;

import dev.rebound.audit.Masker;
import dev.rebound.config.ReboundConfig;
import dev.rebound.engine.target.Datasources;
import dev.rebound.engine.target.HttpTarget;
import dev.rebound.runbook.Action;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The executors by action type, itself an {@link ActionExecutor} that dispatches on
 * {@link Action#type()}. Built once at start-up ({@link #standard}); tests swap one type for a
 * fake with {@link #with}. An executor that breaks its contract by throwing anything but
 * {@link ActionFailedException} is reported as a non-retryable failure with an unknown outcome
 * (it may have failed after acting), never as success and never as a crash of the caller.
 */
public final class ActionExecutors implements ActionExecutor {
  private final Map<String, ActionExecutor> byType;
  private final Masker masker;

  private ActionExecutors(Map<String, ActionExecutor> byType, Masker masker) {
    this.byType = Collections.unmodifiableMap(new LinkedHashMap<>(byType));
    this.masker = Objects.requireNonNull(masker, "masker");
  }

  /**
   * All five executors, configured from {@code config}: its datasources, the values of its
   * {@code template_env} variables (for commands' {@code env}), and a masker of all its secrets.
   *
   * @param scriptsDir the only directory commands may run from ({@code runbooks/scripts})
   * @param workingDir Rebound's working directory; commands run in it
   */
  public static ActionExecutors standard(ReboundConfig config, Path scriptsDir, Path workingDir) {
    Masker masker = Masker.of(config.secretValues());
    HttpTarget http = new HttpTarget();
    return new ActionExecutors(Map.of(
        "http", new HttpActionExecutor(http, masker),
        "sql", new SqlActionExecutor(Datasources.from(config), masker),
        "command", new CommandActionExecutor(scriptsDir, workingDir, config.templateEnv().values(), masker),
        "manual", new ManualActionExecutor(masker),
        "wait", new WaitActionExecutor()), masker);
  }

  public static ActionExecutors of(Map<String, ActionExecutor> byType, Masker masker) {
    return new ActionExecutors(byType, masker);
  }

  /** A copy with {@code type} handled by {@code executor}. */
  public ActionExecutors with(String type, ActionExecutor executor) {
    Map<String, ActionExecutor> copy = new LinkedHashMap<>(byType);
    copy.put(type, executor);
    return new ActionExecutors(copy, masker);
  }

  public Optional<ActionExecutor> forType(String type) {
    return Optional.ofNullable(byType.get(type));
  }

  @Override
  public ActionOutcome execute(Action rendered, ActionContext ctx) throws ActionFailedException {
    ActionExecutor executor = byType.get(rendered.type());
    if (executor == null) {
      throw ActionFailedException.permanent(masker, "no executor for action type '" + rendered.type() + "'");
    }
    try {
      return executor.execute(rendered, ctx);
    } catch (ActionFailedException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new ActionFailedException(masker.mask("executor for '" + rendered.type() + "' failed unexpectedly: " + e
          + ActionFailedException.UNKNOWN_OUTCOME), false, true, null);
    }
  }
}
