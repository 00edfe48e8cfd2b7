package dev.pixels.chaos;

import java.util.ArrayList;
import java.util.List;

/**
 * What the clients did and saw during a fault campaign, and what the nemesis did: the input of
 * the {@link Checker}. Mutated only from the clients' event loop and the nemesis thread through
 * its synchronized methods.
 */
final class History {
  /** One pixel: coordinates and the palette colour as {@code #RRGGBB} upper case. */
  record Pixel(int x, int y, String color) {}

  /** A pixel a client sent: when, to which instance, and its outcome once known. */
  static final class Sent {
    final String id;
    final int instance;
    final Pixel pixel;
    final long sentMillis;
    volatile Outcome outcome = Outcome.UNANSWERED;
    volatile long seq = -1;
    volatile long answeredMillis = -1;
    volatile String rejectReason = "";

    Sent(String id, int instance, Pixel pixel, long sentMillis) {
      this.id = id;
      this.instance = instance;
      this.pixel = pixel;
      this.sentMillis = sentMillis;
    }
  }

  /** How a sent pixel ended. */
  enum Outcome { ACKED, REJECTED, UNANSWERED }

  /** A pixel:bulk_update a watcher (client) received on one of its connections. */
  record Bulk(int client, int connection, int instance, long fromSeq, long toSeq, List<Pixel> pixels, long atMillis) {}

  /** A connection closing, with the server's close code (or -1 when none). */
  record Close(int client, int connection, int instance, int code, long atMillis) {}

  /** A canvas:state with {@code resync: true}. */
  record Resync(int client, int connection, int instance, long seq, long atMillis) {}

  /** A fault the nemesis injected, from its start to the moment it was healed. */
  record Fault(String kind, String target, long startMillis, long healedMillis) {}

  final List<Sent> sent = new ArrayList<>();
  final List<Bulk> bulks = new ArrayList<>();
  final List<Close> closes = new ArrayList<>();
  final List<Resync> resyncs = new ArrayList<>();
  final List<Fault> faults = new ArrayList<>();

  synchronized void add(Sent s) {
    sent.add(s);
  }

  synchronized void add(Bulk b) {
    bulks.add(b);
  }

  synchronized void add(Close c) {
    closes.add(c);
  }

  synchronized void add(Resync r) {
    resyncs.add(r);
  }

  synchronized void add(Fault f) {
    faults.add(f);
  }
}
