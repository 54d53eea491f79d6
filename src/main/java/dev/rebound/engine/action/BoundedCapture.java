package dev.rebound.engine.action;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads a process stream on its own thread, keeping the first {@code limit} bytes and draining
 * (counting, discarding) the rest, so a chatty process never blocks on a full pipe and never
 * fills Rebound's memory.
 */
final class BoundedCapture implements Runnable {
  private final InputStream in;
  private final int limit;
  private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
  private long dropped;
  private final Thread thread;

  private BoundedCapture(InputStream in, int limit, String name) {
    this.in = in;
    this.limit = limit;
    this.thread = new Thread(this, name);
    this.thread.setDaemon(true);
  }

  static BoundedCapture start(InputStream in, int limit, String name) {
    BoundedCapture capture = new BoundedCapture(in, limit, name);
    capture.thread.start();
    return capture;
  }

  @Override
  public void run() {
    byte[] buffer = new byte[8192];
    try (in) {
      int n;
      while ((n = in.read(buffer)) != -1) {
        synchronized (this) {
          int keep = Math.max(0, Math.min(n, limit - kept.size()));
          kept.write(buffer, 0, keep);
          dropped += n - keep;
        }
      }
    } catch (IOException e) {
      // The stream was closed under us (process killed): keep what was read.
    }
  }

  /** Waits up to {@code millis} for the stream to end; false if it is still open. */
  boolean await(long millis) {
    try {
      thread.join(Math.max(1, millis));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return !thread.isAlive();
  }

  /** What was kept, as UTF-8, with a marker when bytes were dropped. */
  synchronized String text() {
    String text = kept.toString(StandardCharsets.UTF_8);
    return dropped == 0 ? text : text + "\n[… truncated: " + dropped + " more bytes not kept]";
  }

  synchronized boolean truncated() {
    return dropped > 0;
  }
}
