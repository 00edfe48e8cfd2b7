package dev.pixels.realtime;

import dev.pixels.canvas.Palette;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Sends the answers to many pixels at once from a non-event-loop thread, with one task per event
 * loop instead of one per pixel.
 */
public final class Replies {
  private final Palette palette;

  public Replies(Palette palette) {
    this.palette = palette;
  }

  /** Acknowledges {@code requests}; the i-th was given {@code seqOf.apply(i)}. */
  public void ack(List<PixelRequest> requests, java.util.function.IntToLongFunction seqOf) {
    send(requests, i -> ServerMessages.ack(requests.get(i), seqOf.applyAsLong(i), palette));
  }

  /** Rejects every request in {@code requests} for the same reason. */
  public void reject(List<PixelRequest> requests, Verdict.Rejection rejection) {
    send(requests, i -> ServerMessages.reject(requests.get(i), rejection));
  }

  private static void send(List<PixelRequest> requests, IntFunction<String> messageOf) {
    // Grouped by event-loop thread: each connection has a context of its own, but one task per
    // loop is enough to reach all of that loop's sessions.
    Map<Thread, List<Session>> targets = new IdentityHashMap<>();
    Map<Thread, List<String>> messages = new IdentityHashMap<>();
    for (int i = 0; i < requests.size(); i++) {
      Session s = requests.get(i).origin();
      targets.computeIfAbsent(s.loop(), k -> new ArrayList<>()).add(s);
      messages.computeIfAbsent(s.loop(), k -> new ArrayList<>()).add(messageOf.apply(i));
    }
    for (Map.Entry<Thread, List<Session>> e : targets.entrySet()) {
      List<Session> sessions = e.getValue();
      List<String> texts = messages.get(e.getKey());
      sessions.get(0).context().runOnContext(v -> {
        for (int i = 0; i < sessions.size(); i++) {
          sessions.get(i).sendText(texts.get(i));
        }
      });
    }
  }
}
