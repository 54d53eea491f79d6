package dev.rebound.engine.action;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Kills a process and everything it started. Descendants are listed before the root dies
 * (afterwards they are re-parented and can no longer be found), then all are killed with
 * SIGKILL; a second sweep catches children forked in between. A process that detaches itself
 * (double fork and setsid) before the kill escapes: scripts must not start daemons.
 */
final class ProcessTree {
  private ProcessTree() {}

  static void kill(Process process) {
    List<ProcessHandle> tree = new ArrayList<>();
    process.descendants().forEach(tree::add);
    process.destroyForcibly();
    tree.forEach(ProcessHandle::destroyForcibly);
    for (ProcessHandle handle : List.copyOf(tree)) {
      handle.descendants().forEach(ProcessHandle::destroyForcibly);
    }
    try {
      process.waitFor(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
