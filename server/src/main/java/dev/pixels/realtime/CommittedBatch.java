package dev.pixels.realtime;

import dev.pixels.canvas.PixelChange;
import java.util.ArrayList;
import java.util.List;

/**
 * A durable run of consecutive pixel changes, with the hash of the canvas after the last one: the
 * content of one {@code pixel:bulk_update}.
 *
 * @param changes non-empty, consecutive seqs, ascending
 * @param hash SHA-256 hex of the canvas bitmap at {@link #toSeq()}
 * @param timestampMillis when the batch was committed
 */
public record CommittedBatch(List<PixelChange> changes, String hash, long timestampMillis) {

  public CommittedBatch {
    if (changes.isEmpty()) {
      throw new IllegalArgumentException("a batch holds at least one change");
    }
    changes = List.copyOf(changes);
  }

  public long fromSeq() {
    return changes.get(0).seq();
  }

  public long toSeq() {
    return changes.get(changes.size() - 1).seq();
  }

  /** The changes after {@code seq} as a batch with the same end state, or this batch if none are before. */
  public CommittedBatch after(long seq) {
    if (seq < fromSeq()) {
      return this;
    }
    return new CommittedBatch(changes.subList((int) (seq - fromSeq() + 1), changes.size()), hash, timestampMillis);
  }

  /** Joins consecutive batches into one whose end state is the last batch's. */
  public static CommittedBatch merge(List<CommittedBatch> batches) {
    if (batches.size() == 1) {
      return batches.get(0);
    }
    List<PixelChange> all = new ArrayList<>();
    for (CommittedBatch b : batches) {
      all.addAll(b.changes());
    }
    CommittedBatch last = batches.get(batches.size() - 1);
    return new CommittedBatch(all, last.hash(), last.timestampMillis());
  }
}
