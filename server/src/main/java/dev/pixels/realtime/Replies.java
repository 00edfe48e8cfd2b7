package dev.pixels.realtime;

import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntToLongFunction;

/**
 * Sends the answers to many pixels at once from a writer thread, with one task per lane (event
 * loop) instead of one per pixel. Knows only {@link PixelReply}, not the sockets behind it.
 *
 * <p>A call reads {@code requests} and the seqs before it returns, so the caller may reuse the list
 * at once. It allocates a few arrays per lane, not objects per pixel; the answers themselves are
 * encoded on the lanes, which spreads that work over the event loops instead of the writer thread.
 */
public final class Replies {

  /** Acknowledges {@code requests}; the i-th was given {@code seqOf.applyAsLong(i)}. */
  public void ack(List<PixelRequest> requests, IntToLongFunction seqOf) {
    for (Lane lane : lanes(requests, seqOf)) {
      lane.first.execute(() -> {
        for (int k = 0; k < lane.size; k++) {
          PixelRequest r = lane.requests[k];
          r.replyTo().ack(r, lane.seqs[k]);
        }
      });
    }
  }

  /** Rejects every request in {@code requests} for the same reason. */
  public void reject(List<PixelRequest> requests, Verdict.Rejection rejection) {
    for (Lane lane : lanes(requests, i -> 0)) {
      lane.first.execute(() -> {
        for (int k = 0; k < lane.size; k++) {
          PixelRequest r = lane.requests[k];
          r.replyTo().reject(r, rejection);
        }
      });
    }
  }

  /** The requests of one lane and the seqs they were given (unused in a rejection). */
  private static final class Lane {
    final PixelReply first;
    PixelRequest[] requests = new PixelRequest[16];
    long[] seqs = new long[16];
    int size;

    Lane(PixelReply first) {
      this.first = first;
    }

    void add(PixelRequest request, long seq) {
      if (size == requests.length) {
        requests = Arrays.copyOf(requests, size * 2);
        seqs = Arrays.copyOf(seqs, size * 2);
      }
      requests[size] = request;
      seqs[size] = seq;
      size++;
    }
  }

  /** Groups {@code requests} by lane, each with the seq {@code seqOf} gives it. */
  private static Iterable<Lane> lanes(List<PixelRequest> requests, IntToLongFunction seqOf) {
    // Grouped by the thread each reply is sent on: each connection may have a context of its own,
    // but one task per event loop is enough to reach all of that loop's connections.
    Map<Object, Lane> lanes = new IdentityHashMap<>();
    for (int i = 0; i < requests.size(); i++) {
      PixelRequest request = requests.get(i);
      PixelReply reply = request.replyTo();
      Lane lane = lanes.get(reply.lane());
      if (lane == null) {
        lane = new Lane(reply);
        lanes.put(reply.lane(), lane);
      }
      lane.add(request, seqOf.applyAsLong(i));
    }
    return lanes.values();
  }
}
