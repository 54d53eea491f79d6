package dev.rebound.http;

import dev.rebound.error.TooManyRequestsException;
import java.util.HashMap;
import java.util.Map;

/**
 * How many event streams each caller (a person, or the admin token) has open, against the most
 * one caller may ({@code REBOUND_STREAMS_PER_CALLER}). An open stream costs the server a
 * subscription and a database poll a second for as long as the client keeps it, so without a cap
 * one viewer's token could open them without end. One instance per server, shared by every route
 * that streams, so the cap counts a caller's streams of every kind together.
 *
 * <p>Thread-safe (state guarded by this object's monitor).
 */
public final class StreamSlots {
  private final int perCaller;
  private final Map<String, Integer> open = new HashMap<>();

  public StreamSlots(int perCaller) {
    if (perCaller < 1) {
      throw new IllegalArgumentException("streams per caller must be positive, got " + perCaller);
    }
    this.perCaller = perCaller;
  }

  /**
   * A slot for one more stream of {@code caller}; release it when the stream ends.
   *
   * @throws TooManyRequestsException when the caller already has the most open (429)
   */
  synchronized Slot take(Identity caller) {
    int held = open.getOrDefault(caller.id(), 0);
    if (held >= perCaller) {
      throw new TooManyRequestsException(caller.id() + " has " + held + " event streams open, the most one caller"
          + " may have (REBOUND_STREAMS_PER_CALLER=" + perCaller + "): close one before opening another");
    }
    open.put(caller.id(), held + 1);
    return new Slot(caller.id());
  }

  private synchronized void release(String callerId) {
    open.computeIfPresent(callerId, (id, held) -> held > 1 ? held - 1 : null);
  }

  /** One open stream's place; {@link #release()} may be called more than once (close and error both do). */
  final class Slot {
    private final String callerId;
    private boolean released;

    private Slot(String callerId) {
      this.callerId = callerId;
    }

    void release() {
      synchronized (StreamSlots.this) {
        if (!released) {
          released = true;
          StreamSlots.this.release(callerId);
        }
      }
    }
  }
}
