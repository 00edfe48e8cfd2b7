package dev.pixels.storage;

import dev.pixels.canvas.Region;

/**
 * One page of the pixel log for {@link PixelStore#history}: changes with {@code seq < beforeSeq},
 * newest first, at most {@code limit}, optionally narrowed to one user, a region and a time range.
 *
 * <p>The shapes a store must serve efficiently (each maps onto one key or index range):
 *
 * <ul>
 *   <li>by user: {@code userId} (+ time range) — an index on (user, seq);
 *   <li>by region over a time range: {@code region} + {@code sinceMillis}/{@code untilMillis} — a
 *       scan of the seq range, or a per-tile index;
 *   <li>by seq cursor alone — the log itself, read backwards.
 * </ul>
 *
 * @param userId only this user's changes, or null for everyone's
 * @param region only changes inside it, or null for the whole canvas
 * @param sinceMillis only changes at or after this server time (epoch ms); {@code Long.MIN_VALUE}
 *     for no bound
 * @param untilMillis only changes at or before this time; {@code Long.MAX_VALUE} for no bound
 * @param beforeSeq only seqs below this cursor; {@code Long.MAX_VALUE} to start at the newest
 * @param limit the most changes returned, at least 1
 */
public record HistoryQuery(
    String userId, Region region, long sinceMillis, long untilMillis, long beforeSeq, int limit) {

  public HistoryQuery {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1");
    }
  }

  /** Everything, newest first, {@code limit} at a time. */
  public static HistoryQuery newest(int limit) {
    return new HistoryQuery(null, null, Long.MIN_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, limit);
  }

  public HistoryQuery withUser(String newUserId) {
    return new HistoryQuery(newUserId, region, sinceMillis, untilMillis, beforeSeq, limit);
  }

  public HistoryQuery withRegion(Region newRegion) {
    return new HistoryQuery(userId, newRegion, sinceMillis, untilMillis, beforeSeq, limit);
  }

  public HistoryQuery between(long newSinceMillis, long newUntilMillis) {
    return new HistoryQuery(userId, region, newSinceMillis, newUntilMillis, beforeSeq, limit);
  }

  public HistoryQuery before(long seq) {
    return new HistoryQuery(userId, region, sinceMillis, untilMillis, seq, limit);
  }

  /** True if {@code c} satisfies every filter except the limit. */
  public boolean matches(dev.pixels.canvas.PixelChange c) {
    return c.seq() < beforeSeq
        && (userId == null || userId.equals(c.userId()))
        && (region == null || region.contains(c.x(), c.y()))
        && c.timestampMillis() >= sinceMillis
        && c.timestampMillis() <= untilMillis;
  }
}
