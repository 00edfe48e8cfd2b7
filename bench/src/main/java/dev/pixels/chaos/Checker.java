package dev.pixels.chaos;

import dev.pixels.chaos.History.Pixel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The campaign's checker: compares what clients were told (acks, bulk updates) with the final
 * log read from the store and with each instance's final canvas.
 */
final class Checker {
  /** One entry of the final log, as read from the store. */
  record LogEntry(long seq, Pixel pixel) {}

  /** An instance's final canvas: its seq and its bitmap (palette indexes), or null bytes if it did not answer. */
  record InstanceCanvas(int instance, long seq, byte[] bytes) {}

  /** The verdict of each check and the per-fault-kind figures. */
  record Result(
      int ackedPixels,
      int ackedLost,
      int duplicates,
      int watchersTakenBack,
      int watchersTakenBackAnnounced,
      int pixelsTakenBack,
      int divergentInstances,
      long finalSeq,
      Map<String, FaultStats> faults,
      List<String> problems) {
    boolean passed() {
      return ackedLost == 0 && duplicates == 0 && watchersTakenBack == 0 && divergentInstances == 0;
    }
  }

  /** Per fault kind: count, recovery times (ms, -1 = never recovered) and pixels accepted during faults. */
  record FaultStats(int count, List<Long> recoveryMillis, int sentDuringFault, int ackedDuringFault) {}

  private final int width;
  private final int height;
  private final List<String> palette;

  Checker(int width, int height, List<String> palette) {
    this.width = width;
    this.height = height;
    this.palette = palette;
  }

  Result check(History history, List<LogEntry> log, List<InstanceCanvas> instances, int instanceCount) {
    List<String> problems = new ArrayList<>();
    TreeMap<Long, Pixel> bySeq = new TreeMap<>();
    int duplicates = 0;
    for (LogEntry e : log) {
      Pixel previous = bySeq.put(e.seq(), e.pixel());
      if (previous != null) {
        duplicates++;
        problems.add("check 4: seq " + e.seq() + " appears twice in the log: " + previous + " and " + e.pixel());
      }
    }
    // Check 1: every acked pixel is in the log at its seq; no seq acked twice.
    int acked = 0;
    int lost = 0;
    Map<Long, History.Sent> ackBySeq = new HashMap<>();
    Set<String> ackIds = new HashSet<>();
    for (History.Sent s : history.sent) {
      if (s.outcome != History.Outcome.ACKED) {
        continue;
      }
      acked++;
      if (!ackIds.add(s.id)) {
        duplicates++;
        problems.add("check 4: pixel " + s.id + " acked twice");
      }
      History.Sent other = ackBySeq.put(s.seq, s);
      if (other != null) {
        duplicates++;
        problems.add("check 4: seq " + s.seq + " acked to two pixels: " + other.id + " and " + s.id);
      }
      Pixel stored = bySeq.get(s.seq);
      if (!s.pixel.equals(stored)) {
        lost++;
        if (lost <= 20) {
          problems.add("check 1: acked pixel " + s.id + " " + s.pixel + " seq " + s.seq + " on instance "
              + s.instance + " is " + (stored == null ? "missing from the log" : "stored as " + stored));
        }
      }
    }
    byte[] replay = replay(bySeq);
    long finalSeq = bySeq.isEmpty() ? 0 : bySeq.lastKey();
    // Check 2: every instance converged to the log's seq and to its replay.
    int divergent = 0;
    for (int i = 0; i < instanceCount; i++) {
      InstanceCanvas c = null;
      for (InstanceCanvas candidate : instances) {
        if (candidate.instance() == i) {
          c = candidate;
        }
      }
      if (c == null || c.bytes() == null) {
        divergent++;
        problems.add("check 2: instance " + i + " gave no final canvas");
      } else if (c.seq() != finalSeq || !Arrays.equals(c.bytes(), replay)) {
        divergent++;
        problems.add("check 2: instance " + i + " ends at seq " + c.seq() + " with "
            + differing(c.bytes(), replay) + " pixels differing from the replay of the log (log ends at " + finalSeq + ")");
      }
    }
    if (divergent > 0) {
      boolean agree = instances.size() == instanceCount && instances.stream().allMatch(c -> c.bytes() != null
          && c.seq() == instances.get(0).seq() && Arrays.equals(c.bytes(), instances.get(0).bytes()));
      problems.add("check 2: the instances " + (agree ? "agree with each other (same seq, same bytes)" : "differ from each other")
          + "; the log's holes (seqs with no entry) up to " + finalSeq + ": " + (finalSeq - bySeq.size()));
    }
    // Check 3: every pixel a watcher saw is in the log at the same seq.
    Map<Integer, Long> takenBackConnections = new HashMap<>();
    Set<Long> takenBackSeqs = new HashSet<>();
    Set<Long> contradicted = new HashSet<>();
    for (History.Bulk b : history.bulks) {
      long seq = b.fromSeq();
      for (Pixel p : b.pixels()) {
        if (!p.equals(bySeq.get(seq))) {
          if (bySeq.containsKey(seq)) {
            contradicted.add(seq);
          }
          if (takenBackSeqs.add(seq) && takenBackSeqs.size() <= 20) {
            problems.add("check 3: client " + b.client() + " (connection " + b.connection() + ") on instance " + b.instance() + " saw " + p
                + " at seq " + seq + "; the log has " + bySeq.get(seq));
          }
          takenBackConnections.merge(b.client(), b.atMillis(), Math::max);
        }
        seq++;
      }
    }
    // A watcher is told when it, on this connection or a later one, is closed with 4002 or gets
    // canvas:state with resync: true after it saw the pixel.
    Map<Integer, List<Long>> toldAt = new HashMap<>();
    for (History.Close c : history.closes) {
      if (c.code() == 4002) {
        toldAt.computeIfAbsent(c.client(), k -> new ArrayList<>()).add(c.atMillis());
      }
    }
    for (History.Resync r : history.resyncs) {
      toldAt.computeIfAbsent(r.client(), k -> new ArrayList<>()).add(r.atMillis());
    }
    int announced = 0;
    for (Map.Entry<Integer, Long> e : takenBackConnections.entrySet()) {
      long seenAt = e.getValue();
      if (toldAt.getOrDefault(e.getKey(), List.of()).stream().anyMatch(t -> t >= seenAt)) {
        announced++;
      }
    }
    int silent = takenBackConnections.size() - announced;
    if (silent > 0) {
      problems.add("check 3: " + silent + " watcher(s) saw a pixel taken back and were never closed with 4002 nor told to resync");
    }
    if (!takenBackSeqs.isEmpty()) {
      problems.add("check 3: " + takenBackSeqs.size() + " seq(s) shown to watchers differ from the final log ("
          + announced + " of " + takenBackConnections.size() + " watchers were closed with 4002 or told to resync); "
          + contradicted.size() + " of them hold another pixel in the log, the others are holes (no log entry)");
    }
    return new Result(acked, lost, duplicates, takenBackConnections.size() - announced, announced,
        takenBackSeqs.size(), divergent, finalSeq, faultStats(history, instanceCount), problems);
  }

  /** The canvas the log describes: every entry applied in seq order to a background canvas. */
  byte[] replay(TreeMap<Long, Pixel> bySeq) {
    byte[] canvas = new byte[width * height];
    for (Pixel p : bySeq.values()) {
      int index = palette.indexOf(p.color());
      canvas[p.y() * width + p.x()] = (byte) index;
    }
    return canvas;
  }

  private static int differing(byte[] a, byte[] b) {
    if (a.length != b.length) {
      return Math.max(a.length, b.length);
    }
    int n = 0;
    for (int i = 0; i < a.length; i++) {
      if (a[i] != b[i]) {
        n++;
      }
    }
    return n;
  }

  /**
   * Recovery: from the moment a fault was healed until every instance has acked a pixel sent after
   * it. Availability: the share of pixels sent while the fault lasted that were acked.
   */
  private static Map<String, FaultStats> faultStats(History history, int instanceCount) {
    Map<String, List<History.Fault>> byKind = new LinkedHashMap<>();
    for (History.Fault f : history.faults) {
      byKind.computeIfAbsent(f.kind(), k -> new ArrayList<>()).add(f);
    }
    Map<String, FaultStats> out = new LinkedHashMap<>();
    for (Map.Entry<String, List<History.Fault>> e : byKind.entrySet()) {
      List<Long> recoveries = new ArrayList<>();
      int sent = 0;
      int ackedDuring = 0;
      for (History.Fault f : e.getValue()) {
        long[] firstAck = new long[instanceCount];
        Arrays.fill(firstAck, Long.MAX_VALUE);
        for (History.Sent s : history.sent) {
          if (s.sentMillis >= f.startMillis() && s.sentMillis <= f.healedMillis()) {
            sent++;
            if (s.outcome == History.Outcome.ACKED) {
              ackedDuring++;
            }
          }
          if (s.outcome == History.Outcome.ACKED && s.sentMillis >= f.healedMillis()) {
            firstAck[s.instance] = Math.min(firstAck[s.instance], s.answeredMillis);
          }
        }
        long worst = 0;
        for (long t : firstAck) {
          worst = t == Long.MAX_VALUE ? -1 : (worst < 0 ? -1 : Math.max(worst, t - f.healedMillis()));
        }
        recoveries.add(worst);
      }
      out.put(e.getKey(), new FaultStats(e.getValue().size(), recoveries, sent, ackedDuring));
    }
    return out;
  }
}
