package dev.pixels.bench;

import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * Counters and histograms of one event loop. Only that loop writes them; the coordinator reads
 * them after asking the loop for a copy ({@link #copy()}), so nothing here is synchronised.
 *
 * <p>Latencies are recorded in microseconds. "In window" counters only count pixels sent inside
 * the measured window (after warm-up, before the painters stop).
 */
final class Stats {
  static final long MAX_US = 3_600_000_000L;

  final Histogram broadcastUs = new Histogram(MAX_US, 3);
  final Histogram ackUs = new Histogram(MAX_US, 3);
  /** Handshake plus first frame (canvas:state), per watcher. */
  final Histogram connectUs = new Histogram(MAX_US, 3);
  /** Pixels per bulk_update, seen by latency watchers. */
  final Histogram batchPixels = new Histogram(10_000_000L, 3);

  long offered;
  long skipped;
  long accepted;
  long rejected;
  final Map<String, Long> rejectReasons = new TreeMap<>();
  long unknownAnswers;
  long maxAckedSeq = -1;
  long maxSeenSeq = -1;

  long framesIn;
  long bytesIn;
  long framesOut;
  long bytesOut;
  long batchesIn;

  long gaps;
  long missingSeqs;
  long overlaps;
  long countMismatch;
  long malformed;
  long errorFrames;
  String firstError;
  long binaryUndecoded;
  long heartbeatsIn;
  long matchedPixels;
  long unmatchedPixels;

  long connectFailures;
  String firstConnectFailure;
  long dropped;
  final Map<String, Long> dropReasons = new TreeMap<>();

  void addReason(Map<String, Long> m, String r) {
    m.merge(r == null ? "?" : r, 1L, Long::sum);
  }

  Stats copy() {
    Stats s = new Stats();
    s.merge(this);
    return s;
  }

  void merge(Stats o) {
    broadcastUs.add(o.broadcastUs);
    ackUs.add(o.ackUs);
    connectUs.add(o.connectUs);
    batchPixels.add(o.batchPixels);
    offered += o.offered;
    skipped += o.skipped;
    accepted += o.accepted;
    rejected += o.rejected;
    o.rejectReasons.forEach((k, v) -> rejectReasons.merge(k, v, Long::sum));
    unknownAnswers += o.unknownAnswers;
    maxAckedSeq = Math.max(maxAckedSeq, o.maxAckedSeq);
    maxSeenSeq = Math.max(maxSeenSeq, o.maxSeenSeq);
    framesIn += o.framesIn;
    bytesIn += o.bytesIn;
    framesOut += o.framesOut;
    bytesOut += o.bytesOut;
    batchesIn += o.batchesIn;
    gaps += o.gaps;
    missingSeqs += o.missingSeqs;
    overlaps += o.overlaps;
    countMismatch += o.countMismatch;
    malformed += o.malformed;
    errorFrames += o.errorFrames;
    if (firstError == null) {
      firstError = o.firstError;
    }
    binaryUndecoded += o.binaryUndecoded;
    heartbeatsIn += o.heartbeatsIn;
    matchedPixels += o.matchedPixels;
    unmatchedPixels += o.unmatchedPixels;
    connectFailures += o.connectFailures;
    if (firstConnectFailure == null) {
      firstConnectFailure = o.firstConnectFailure;
    }
    dropped += o.dropped;
    o.dropReasons.forEach((k, v) -> dropReasons.merge(k, v, Long::sum));
  }
}
