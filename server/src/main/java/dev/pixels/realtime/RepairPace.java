package dev.pixels.realtime;

/**
 * How many pixels of a repair the next batch may carry: as many as keep that batch's commit within
 * a time budget, found by feedback rather than fixed.
 *
 * <p>Why feedback: the cost of a repair pixel (its insert, the canvas hash, the frame every watcher
 * is sent) depends on the disk, on the number of watchers and on what else the machine is doing.
 * A fixed chunk that commits in 20 ms on a quiet machine takes several batch intervals on a busy
 * one, and every painter whose pixel shares that batch waits for all of it. So a batch that took
 * longer than the budget halves the next chunk, and a full chunk that fitted lets the next one grow
 * by an eighth of the maximum (additive increase, multiplicative decrease). A repair then slows
 * down when the machine is busy instead of painters' acks; it never stops, since a chunk is never
 * smaller than the minimum.
 *
 * <p>The same feedback paces the cluster's repairs, where the cost to watch is the time from
 * sequencing a chunk to its storage: a painter's pixel sequenced behind a chunk waits that long.
 *
 * <p>Concurrency: not thread-safe; each user confines one to a thread (the batcher thread, or the
 * thread applying one cluster repair).
 */
public final class RepairPace {
  private final int min;
  private final int max;
  private final long budgetNanos;
  private int chunk;

  /** A pace between {@code min} and {@code max} pixels a chunk that starts at {@code max}. */
  public RepairPace(int min, int max, long budgetNanos) {
    if (min < 1 || max < min || budgetNanos <= 0) {
      throw new IllegalArgumentException("need 1 <= min <= max and a positive budget");
    }
    this.min = min;
    this.max = max;
    this.budgetNanos = budgetNanos;
    this.chunk = max;
  }

  /** The most repair pixels the next batch may take. */
  public int chunk() {
    return chunk;
  }

  /** Records that a batch carrying {@code repairPixels} of a repair took {@code nanos} to commit. */
  public void committed(int repairPixels, long nanos) {
    if (nanos > budgetNanos) {
      chunk = Math.max(min, chunk / 2);
    } else if (repairPixels >= chunk) {
      chunk = Math.min(max, chunk + Math.max(1, max / 8));
    }
  }
}
