package dev.rebound.retrieval;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * Keeps the JVM from exiting while native code (ONNX Runtime, the tokenizer) runs on one of its
 * threads. A JVM exits by running its shutdown hooks and then the native libraries' exit
 * handlers, which free ONNX Runtime's sessions and thread pools; a thread still inside a session
 * then crashes the whole process (a crash in libonnxruntime.so was seen once as the JVM of a test
 * that starts the service, which indexes at start, exited; Maven then reports the test run as
 * failed). {@link #DEFAULT}'s shutdown hook waits for the calls in progress, at most {@link
 * #EXIT_WAIT}, and every later call is refused.
 */
final class NativeCalls {
  /** About the longest single call (a batch of the indexer's) on a loaded machine, with margin. */
  static final Duration EXIT_WAIT = Duration.ofSeconds(10);
  static final NativeCalls DEFAULT = new NativeCalls().drainedOnExit();

  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private volatile boolean exiting;

  private NativeCalls drainedOnExit() {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> drain(EXIT_WAIT), "rebound-native-exit"));
    return this;
  }

  /** Runs {@code work} unless the JVM is exiting; the exit waits for it. */
  <T> T call(Supplier<T> work) {
    Lock read = lock.readLock();
    if (exiting || !read.tryLock()) {
      throw new IllegalStateException("the JVM is exiting: no more embeddings");
    }
    try {
      if (exiting) {
        throw new IllegalStateException("the JVM is exiting: no more embeddings");
      }
      return work.get();
    } finally {
      read.unlock();
    }
  }

  /**
   * Refuses new calls and waits for those in progress, at most {@code wait}.
   *
   * @return whether none is left in progress
   */
  boolean drain(Duration wait) {
    exiting = true;
    try {
      return lock.writeLock().tryLock(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
