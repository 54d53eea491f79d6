package dev.rebound.cli;

import dev.rebound.error.ReboundException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Base of every command: builds the {@link CliContext} and turns failures into exit codes, so a
 * command body only says what it does. Done here rather than in a picocli exception handler so
 * that {@code new CommandLine(new Main(env)).execute(…)} behaves the same in tests as in the jar.
 */
abstract class CliCommand implements Callable<Integer> {
  static final int OK = 0;
  static final int PROBLEMS = 1;

  @Spec CommandSpec spec;

  /** Returns {@link #OK} or {@link #PROBLEMS}; throws for failures, {@link ParameterException} for usage errors (exit 2). */
  abstract int run(CliContext context) throws Exception;

  @Override
  public final Integer call() {
    CliContext context = CliContext.of(spec);
    try {
      return run(context);
    } catch (ParameterException e) {
      throw e;
    } catch (ReboundException e) {
      Failures.print(context, e);
      return PROBLEMS;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      context.err().println("rebound: interrupted");
      return PROBLEMS;
    } catch (Exception e) {
      Failures.printUnexpected(context, e);
      return PROBLEMS;
    } finally {
      context.out().flush();
      context.err().flush();
    }
  }
}
