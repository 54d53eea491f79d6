package dev.rebound.cli;

import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A {@code serve} running in-process on another thread until {@link #stop()}, stopped through its
 * {@link Lifetime} instead of a signal; {@link #stop()} answers its exit code.
 */
record ServingCli(String url, StringWriter outBuffer, StringWriter errBuffer,
    CompletableFuture<Void> stopSignal, CompletableFuture<Integer> exit) implements AutoCloseable {

  /** Serves on a free port with {@code variables} until {@code readyText} is on stdout. */
  static ServingCli start(Path workingDir, Map<String, String> variables, String readyText, String... args)
      throws Exception {
    int port = CliRunner.unusedPort();
    CompletableFuture<Void> stop = new CompletableFuture<>();
    Map<String, String> env = new HashMap<>(variables);
    env.put("REBOUND_HTTP_PORT", String.valueOf(port));
    CliRunner cli = CliRunner.in(workingDir, env).withLifetime(Lifetime.until(stop));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> cli.run(out, err, args));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (!out.toString().contains(readyText)) {
      if (exit.isDone() || System.nanoTime() > deadline) {
        stop.complete(null);
        throw new AssertionError("serve did not get ready\n--- stdout\n" + out + "--- stderr\n" + err);
      }
      Thread.sleep(50);
    }
    return new ServingCli("http://127.0.0.1:" + port, out, err, stop, exit);
  }

  String out() {
    return outBuffer.toString();
  }

  String err() {
    return errBuffer.toString();
  }

  int stop() throws Exception {
    stopSignal.complete(null);
    return exit.get(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    stopSignal.complete(null);
    exit.orTimeout(30, TimeUnit.SECONDS).join();
  }
}
